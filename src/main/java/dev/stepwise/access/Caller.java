package dev.stepwise.access;

import dev.stepwise.scheduler.IdScope;
import org.jspecify.annotations.Nullable;

/**
 * Who made a request, as its bearer token says.
 *
 * @param tokenId the token's public id ({@code admin} for the admin token,
 * {@code metrics} for the metrics token): what the request attribute {@link #TOKEN_ID}
 * and the authentication's name hold, e.g. to key per-token limits on
 * @param role what the token is
 * @param scope the schedulers it may see and change (null for the metrics token, which
 * sees none)
 */
public record Caller(String tokenId, Role role, @Nullable IdScope scope) {

	/** The request attribute holding the authenticated token's id (a String). */
	public static final String TOKEN_ID = "dev.stepwise.access.token-id";

	/** What a token may do, beyond its scope. */
	public enum Role {

		/** The admin token: everything, token management included. */
		ADMIN,

		/** A minted token: the API within its scope. */
		TOKEN,

		/** The metrics token: {@code /actuator/prometheus} only. */
		METRICS

	}

}
