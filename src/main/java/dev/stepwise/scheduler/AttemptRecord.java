package dev.stepwise.scheduler;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A training attempt a scheduler adopted, as recorded.
 *
 * @param attempt its id
 * @param current whether it is the scheduler's current attempt
 * @param adoptedAt when a registration adopted it
 * @param startedBy how it started: {@code step} (without a checkpoint, from the
 * schedule's start), {@code resume} or {@code state} (from a checkpoint); {@code null}
 * until it starts
 * @param startEpoch the epoch it started from
 * @param startedAt when it started
 * @param restoredEpoch the epoch its last resume or state document restored
 * @param supersededAt when a registration with a later attempt superseded it
 */
public record AttemptRecord(String attempt, boolean current, Instant adoptedAt, @Nullable String startedBy,
		@Nullable Double startEpoch, @Nullable Instant startedAt, @Nullable Long restoredEpoch,
		@Nullable Instant supersededAt) {

	/** How an attempt started. */
	public static final String BY_STEP = "step";

	/** How an attempt started. */
	public static final String BY_RESUME = "resume";

	/** How an attempt started. */
	public static final String BY_STATE = "state";

}
