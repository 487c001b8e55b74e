package dev.stepwise.schedule;

/**
 * A step that cannot be taken.
 */
public final class StepException extends RuntimeException {

	private final Reason reason;

	public StepException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	/** Why the step was not taken. */
	public Reason reason() {
		return this.reason;
	}

	/**
	 * Why a step was not taken.
	 */
	public enum Reason {

		/** ReduceLROnPlateau needs a metric for every step (HTTP 400). */
		METRIC_REQUIRED,

		/**
		 * A fractional epoch for a scheduler that has no closed form for it (HTTP 422).
		 */
		FRACTIONAL_EPOCH_UNSUPPORTED,

		/**
		 * PyTorch raises in this step, e.g. OneCycleLR past {@code total_steps} (HTTP
		 * 409).
		 */
		REFUSED

	}

}
