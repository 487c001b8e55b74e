package dev.stepwise.access;

/**
 * Authentication is misconfigured: the service must not start (a required admin token is
 * missing, or a token is too short to be a secret).
 */
public class AuthConfigurationException extends IllegalStateException {

	private final String action;

	AuthConfigurationException(String message, String action) {
		super(message + " " + action);
		this.action = action;
	}

	/** What to set. */
	public String action() {
		return this.action;
	}

}
