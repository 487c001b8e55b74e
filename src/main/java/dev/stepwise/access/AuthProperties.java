package dev.stepwise.access;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Authentication, under {@code stepwise.auth.*}.
 *
 * @param enabled {@code false} turns authentication off even where it is required;
 * absent, it is on exactly when an admin token is set
 * @param adminToken the admin token ({@code STEPWISE_AUTH_ADMIN_TOKEN}): it mints and
 * revokes tokens and may do everything; setting it turns authentication on
 * @param metricsToken a token for {@code /actuator/prometheus} only; absent, that
 * endpoint is open
 * @param required whether a missing admin token stops the startup (the {@code postgres}
 * profile sets it: a shared deployment must not run open by accident)
 */
@ConfigurationProperties("stepwise.auth")
public record AuthProperties(@Nullable Boolean enabled, @Nullable String adminToken, @Nullable String metricsToken,
		boolean required) {

	/** The shortest admin or metrics token accepted: a guessable one is refused. */
	public static final int MIN_TOKEN_LENGTH = 32;

	/**
	 * Whether authentication is on.
	 * @throws AuthConfigurationException with what to set, when it is required (or
	 * enabled) but has no admin token, or a token is too short
	 */
	public boolean on() {
		if (Boolean.FALSE.equals(this.enabled)) {
			return false;
		}
		if (blank(this.adminToken)) {
			if (this.required || Boolean.TRUE.equals(this.enabled)) {
				throw new IllegalStateException("Authentication is required here"
						+ (this.required ? " (profile postgres or docker-compose)" : " (stepwise.auth.enabled=true)")
						+ " but no admin token is set: set STEPWISE_AUTH_ADMIN_TOKEN (stepwise.auth.admin-token) to a"
						+ " random secret of at least " + MIN_TOKEN_LENGTH
						+ " characters (e.g. `openssl rand -hex 32`),"
						+ " or set stepwise.auth.enabled=false (STEPWISE_AUTH_ENABLED=false) to run without"
						+ " authentication.");
			}
			return false;
		}
		checkLength("admin token (STEPWISE_AUTH_ADMIN_TOKEN)", this.adminToken);
		if (!blank(this.metricsToken)) {
			checkLength("metrics token (STEPWISE_AUTH_METRICS_TOKEN)", this.metricsToken);
		}
		return true;
	}

	private static void checkLength(String what, @Nullable String token) {
		if (token == null || token.strip().length() < MIN_TOKEN_LENGTH) {
			throw new AuthConfigurationException(
					"The " + what + " is shorter than " + MIN_TOKEN_LENGTH + " characters.",
					"Use a random secret, e.g. `openssl rand -hex 32`.");
		}
	}

	static boolean blank(@Nullable String value) {
		return value == null || value.isBlank();
	}

}
