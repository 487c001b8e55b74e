package dev.stepwise.schedule;

/**
 * A state document that does not fit the scheduler it is meant for.
 */
public final class InvalidStateException extends RuntimeException {

	private final String field;

	public InvalidStateException(String field, String message) {
		super(field + ": " + message);
		this.field = field;
	}

	/** The path of the offending entry in the state document. */
	public String field() {
		return this.field;
	}

}
