package dev.stepwise.schedule;

import java.util.List;

/**
 * A state document that does not fit the scheduler it is meant for.
 */
public final class InvalidStateException extends RuntimeException {

	private final List<FieldError> errors;

	public InvalidStateException(String field, String message) {
		super(field + ": " + message);
		this.errors = List.of(new FieldError(field, message));
	}

	InvalidStateException(String message, List<FieldError> errors) {
		super(message);
		this.errors = List.copyOf(errors);
	}

	/** The path of the (first) offending entry in the state document. */
	public String field() {
		return this.errors.get(0).field();
	}

	/** Every offending entry, with what is wrong with it. */
	public List<FieldError> errors() {
		return this.errors;
	}

}
