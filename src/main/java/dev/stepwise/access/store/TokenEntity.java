package dev.stepwise.access.store;

import java.time.Instant;

import dev.stepwise.access.AccessToken;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/**
 * A row of {@code access_token}.
 */
@Entity
@Table(name = "access_token")
class TokenEntity {

	@Id
	private String id = "";

	private String name = "";

	private String scope = "";

	@Column(name = "write_access")
	private boolean writeAccess;

	@Column(name = "secret_sha256")
	private String secretSha256 = "";

	@Column(name = "created_at")
	private Instant createdAt = Instant.EPOCH;

	@Column(name = "expires_at")
	private @Nullable Instant expiresAt;

	@Column(name = "revoked_at")
	private @Nullable Instant revokedAt;

	protected TokenEntity() {
	}

	TokenEntity(AccessToken token, String secretSha256) {
		this.id = token.id();
		this.name = token.name();
		this.scope = token.scope();
		this.writeAccess = token.write();
		this.secretSha256 = secretSha256;
		this.createdAt = token.createdAt();
		this.expiresAt = token.expiresAt();
		this.revokedAt = token.revokedAt();
	}

	@Nullable Instant getRevokedAt() {
		return this.revokedAt;
	}

	void revoke(Instant now) {
		this.revokedAt = now;
	}

	AccessToken token() {
		return new AccessToken(this.id, this.name, this.scope, this.writeAccess, this.createdAt, this.expiresAt,
				this.revokedAt);
	}

}
