package dev.stepwise.access;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A minted token, without its secret (which is never stored).
 *
 * @param id the public id
 * @param name what it is for
 * @param scope the scheduler ids it covers (an {@link dev.stepwise.scheduler.IdScope}
 * pattern)
 * @param write whether it has write access (else read)
 * @param createdAt when it was minted
 * @param expiresAt when it stops being accepted (null: never)
 * @param revokedAt when it was revoked (null: it was not)
 */
public record AccessToken(String id, String name, String scope, boolean write, Instant createdAt,
		@Nullable Instant expiresAt, @Nullable Instant revokedAt) {

}
