package dev.stepwise.access.web;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.access.AccessToken;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A token as listed: never its secret, except in the answer of the mint that created it.
 *
 * @param id the public id ({@code DELETE /api/v1/tokens/{id}} revokes it)
 * @param name what it is for
 * @param scope the scheduler ids it covers
 * @param access read or write
 * @param createdAt when it was minted
 * @param expiresAt when it stops being accepted (null: never)
 * @param revokedAt when it was revoked (null: it was not)
 * @param secret the bearer secret, only in the mint's answer
 */
@Schema(name = "Token", description = "An access token (its secret only in the answer of its mint).")
@JsonInclude(JsonInclude.Include.NON_ABSENT)
record TokenResponse(String id, String name, String scope, String access, @JsonProperty("created_at") Instant createdAt,
		@JsonProperty("expires_at") @Schema(nullable = true) @Nullable Instant expiresAt,
		@JsonProperty("revoked_at") @Schema(nullable = true) @Nullable Instant revokedAt,
		@Schema(description = "The bearer secret: in the mint's answer only, never again (only its SHA-256 is"
				+ " stored). Send it as Authorization: Bearer <secret> (the Python client reads STEPWISE_TOKEN).",
				nullable = true) @Nullable String secret) {

	static TokenResponse of(AccessToken token, @Nullable String secret) {
		return new TokenResponse(token.id(), token.name(), token.scope(), token.write() ? "write" : "read",
				token.createdAt(), token.expiresAt(), token.revokedAt(), secret);
	}

}
