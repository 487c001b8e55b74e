package dev.stepwise.scheduler;

import org.jspecify.annotations.Nullable;

/**
 * A step request.
 *
 * @param epoch the epoch the step produces, or {@code null} for {@code last_epoch + 1}
 * @param metric the validation metric, or {@code null}; may be NaN or infinite
 * @param attempt the training attempt that posts it, or {@code null} (not checked)
 */
public record StepCommand(@Nullable Double epoch, @Nullable Double metric, @Nullable String attempt) {

	/** A step request without an attempt. */
	public StepCommand(@Nullable Double epoch, @Nullable Double metric) {
		this(epoch, metric, null);
	}

}
