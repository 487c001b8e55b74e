package dev.stepwise.scheduler;

/**
 * An amendment that conflicts with what the scheduler recorded: an epoch some rank has
 * passed, an amendment id posted before with another body, another amendment pending.
 */
public class AmendmentConflictException extends RuntimeException {

	private final String field;

	private final long lastEpoch;

	public AmendmentConflictException(String field, String message, long lastEpoch) {
		super(message);
		this.field = field;
		this.lastEpoch = lastEpoch;
	}

	/** The request's field that conflicts. */
	public String field() {
		return this.field;
	}

	/** The scheduler's {@code last_epoch} when the conflict was found. */
	public long lastEpoch() {
		return this.lastEpoch;
	}

}
