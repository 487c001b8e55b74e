package dev.stepwise.scheduler;

import org.jspecify.annotations.Nullable;

/**
 * Where a scheduler stands: what every call that returns a position answers.
 *
 * @param id the scheduler id
 * @param lastEpoch PyTorch's {@code last_epoch}
 * @param paramGroupsJson the param groups as the API writes them (a JSON array), stored
 * ready to send
 * @param consumed the tokens or samples the steps consumed so far, for a schedule in that
 * unit; else {@code null}
 */
public record SchedulerPosition(String id, long lastEpoch, String paramGroupsJson, @Nullable Long consumed) {

	/** The position of a schedule in steps. */
	public SchedulerPosition(String id, long lastEpoch, String paramGroupsJson) {
		this(id, lastEpoch, paramGroupsJson, null);
	}

}
