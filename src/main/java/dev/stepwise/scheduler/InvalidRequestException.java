package dev.stepwise.scheduler;

import java.util.List;

import dev.stepwise.schedule.FieldError;

/**
 * A request with a value the service does not accept (outside the scheduler spec, which
 * the engine validates): a well-formed value out of range (422), or one that cannot be
 * represented at all (400).
 */
public class InvalidRequestException extends RuntimeException {

	private final List<FieldError> errors;

	private final boolean malformed;

	public InvalidRequestException(String field, String message) {
		this(field, message, false);
	}

	private InvalidRequestException(String field, String message, boolean malformed) {
		super(field + ": " + message);
		this.errors = List.of(new FieldError(field, message));
		this.malformed = malformed;
	}

	/** A value that cannot be represented, like a number beyond its type's range. */
	public static InvalidRequestException malformed(String field, String message) {
		return new InvalidRequestException(field, message, true);
	}

	/**
	 * Whether the value cannot be represented (400) rather than is out of range (422).
	 */
	public boolean malformed() {
		return this.malformed;
	}

	/** The offending fields. */
	public List<FieldError> errors() {
		return this.errors;
	}

}
