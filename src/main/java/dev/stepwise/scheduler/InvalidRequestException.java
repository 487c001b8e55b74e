package dev.stepwise.scheduler;

import java.util.List;

import dev.stepwise.schedule.FieldError;

/**
 * A well-formed request with a value the service does not accept (outside the scheduler
 * spec, which the engine validates).
 */
public class InvalidRequestException extends RuntimeException {

	private final List<FieldError> errors;

	public InvalidRequestException(String field, String message) {
		super(field + ": " + message);
		this.errors = List.of(new FieldError(field, message));
	}

	/** The offending fields. */
	public List<FieldError> errors() {
		return this.errors;
	}

}
