package dev.stepwise.scheduler;

/**
 * The id is registered already, with a different body.
 */
public class RegistrationConflictException extends RuntimeException {

	public RegistrationConflictException(String id) {
		super("A scheduler is registered as '" + id + "' with a different body; delete it first or use another id.");
	}

}
