package dev.stepwise.scheduler;

/**
 * A step whose commit was not confirmed: it waited longer than
 * {@code stepwise.steps.commit-timeout}, or the writer taking it died. It is committed or
 * not, never half; a retry with the same {@code epoch} takes it, or answers the recorded
 * step as a replay.
 */
public class StepUnconfirmedException extends RuntimeException {

	public StepUnconfirmedException(String message, Throwable cause) {
		super(message, cause);
	}

}
