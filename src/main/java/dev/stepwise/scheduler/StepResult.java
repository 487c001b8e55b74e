package dev.stepwise.scheduler;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of a step.
 *
 * @param position the position the step produced (or had produced, when replayed)
 * @param replayed whether the epoch had been stepped to before and was answered from the
 * history
 * @param finished {@code true} when the schedule is over at this epoch and refuses
 * further steps (a finished stepwise.LRRangeTest), else {@code null}
 */
public record StepResult(SchedulerPosition position, boolean replayed, @Nullable Boolean finished) {

	/** The outcome of a step of a schedule that is not over. */
	public StepResult(SchedulerPosition position, boolean replayed) {
		this(position, replayed, null);
	}

}
