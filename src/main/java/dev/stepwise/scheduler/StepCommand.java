package dev.stepwise.scheduler;

import org.jspecify.annotations.Nullable;

/**
 * A step request: {@code count} steps with the same metric, taken and recorded together.
 *
 * @param epoch the {@code last_epoch} the last of the steps produces, or {@code null} for
 * {@code last_epoch + count}
 * @param metric the validation metric of every step, or {@code null}; may be NaN or
 * infinite
 * @param attempt the training attempt that posts it, or {@code null} (not checked)
 * @param count how many steps, at least 1
 * @param consumed what each step consumed, for a schedule in tokens or samples;
 * {@code null} for one in steps
 */
public record StepCommand(@Nullable Double epoch, @Nullable Double metric, @Nullable String attempt, int count,
		@Nullable Long consumed) {

	/** One step, in steps. */
	public StepCommand(@Nullable Double epoch, @Nullable Double metric, @Nullable String attempt) {
		this(epoch, metric, attempt, 1, null);
	}

	/** One step, in steps, without an attempt. */
	public StepCommand(@Nullable Double epoch, @Nullable Double metric) {
		this(epoch, metric, null);
	}

}
