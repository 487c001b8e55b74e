package dev.stepwise.scheduler.store;

import org.jspecify.annotations.Nullable;

/**
 * A scheduler state ready to be stored: its position and its JSON documents.
 *
 * @param lastEpoch PyTorch's {@code last_epoch}
 * @param position the epoch last stepped to; {@code lastEpoch} unless a fractional epoch
 * was stepped to
 * @param stateJson the engine's state dict as JSON
 * @param paramGroupsJson the param groups as the API writes them
 * @param consumed the tokens or samples consumed so far, for a schedule in that unit;
 * else {@code null}
 */
public record Snapshot(long lastEpoch, double position, String stateJson, String paramGroupsJson,
		@Nullable Long consumed) {

	/** A snapshot of a schedule in steps. */
	public Snapshot(long lastEpoch, double position, String stateJson, String paramGroupsJson) {
		this(lastEpoch, position, stateJson, paramGroupsJson, null);
	}

}
