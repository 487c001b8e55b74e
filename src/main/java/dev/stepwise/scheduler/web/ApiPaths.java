package dev.stepwise.scheduler.web;

/**
 * The scheduler API's paths, named once: the controllers map them, and the security chain
 * and the scope check choose their requests by them.
 */
public final class ApiPaths {

	/** The schedulers: the list, registration, and each scheduler under its id. */
	public static final String SCHEDULERS = "/api/v1/schedulers";

	/** One scheduler. */
	public static final String SCHEDULER = SCHEDULERS + "/{id}";

	private ApiPaths() {
	}

}
