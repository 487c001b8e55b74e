package dev.stepwise.scheduler;

/**
 * No scheduler is registered under the requested id.
 */
public class SchedulerNotFoundException extends RuntimeException {

	private final String id;

	public SchedulerNotFoundException(String id) {
		super("No scheduler is registered as '" + id + "'.");
		this.id = id;
	}

	/** The id that was asked for. */
	public String id() {
		return this.id;
	}

}
