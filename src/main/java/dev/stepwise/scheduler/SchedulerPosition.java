package dev.stepwise.scheduler;

/**
 * Where a scheduler stands: what every call that returns a position answers.
 *
 * @param id the scheduler id
 * @param lastEpoch PyTorch's {@code last_epoch}
 * @param paramGroupsJson the param groups as the API writes them (a JSON array), stored
 * ready to send
 */
public record SchedulerPosition(String id, long lastEpoch, String paramGroupsJson) {

}
