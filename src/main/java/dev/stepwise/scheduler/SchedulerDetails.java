package dev.stepwise.scheduler;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A registered scheduler: its state, its registration and its timestamps.
 *
 * @param position where it stands
 * @param specJson the normalised spec (every default filled in) as JSON
 * @param initialParamGroupsJson the param groups as registered, as JSON
 * @param createdAt when it was registered
 * @param updatedAt when its state last changed
 * @param attempt its current training attempt, or {@code null} when none registered
 * @param attemptStarted whether that attempt has started (by a step, a resume or a state
 * document); {@code true} without an attempt
 */
public record SchedulerDetails(SchedulerPosition position, String specJson, String initialParamGroupsJson,
		Instant createdAt, Instant updatedAt, @Nullable String attempt, boolean attemptStarted) {

	/** A scheduler without a training attempt. */
	public SchedulerDetails(SchedulerPosition position, String specJson, String initialParamGroupsJson,
			Instant createdAt, Instant updatedAt) {
		this(position, specJson, initialParamGroupsJson, createdAt, updatedAt, null, true);
	}

}
