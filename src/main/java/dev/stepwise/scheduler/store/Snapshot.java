package dev.stepwise.scheduler.store;

/**
 * A scheduler state ready to be stored: its position and its JSON documents.
 *
 * @param lastEpoch PyTorch's {@code last_epoch}
 * @param position the epoch last stepped to; {@code lastEpoch} unless a fractional epoch
 * was stepped to
 * @param stateJson the engine's state dict as JSON
 * @param paramGroupsJson the param groups as the API writes them
 */
public record Snapshot(long lastEpoch, double position, String stateJson, String paramGroupsJson) {

}
