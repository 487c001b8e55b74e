package dev.stepwise.access.store;

import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Optional;

import dev.stepwise.access.AccessToken;
import org.jspecify.annotations.Nullable;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores tokens by the SHA-256 of their secret, and finds them by it.
 */
@Component
public class TokenStore {

	private static final String BY_HASH = "select id, name, scope, write_access, created_at, expires_at, revoked_at,"
			+ " secret_sha256 from access_token where secret_sha256 = ?";

	private final TokenRepository tokens;

	private final JdbcClient jdbc;

	private final TokenCache cache;

	private final TokenRevocations revocations;

	TokenStore(TokenRepository tokens, JdbcClient jdbc, TokenCache cache, TokenRevocations revocations) {
		this.tokens = tokens;
		this.jdbc = jdbc;
		this.cache = cache;
		this.revocations = revocations;
	}

	/** Stores a new token with the hash of its secret. */
	@Transactional
	public void insert(AccessToken token, byte[] secretSha256) {
		this.tokens.save(new TokenEntity(token, HexFormat.of().formatHex(secretSha256)));
	}

	/**
	 * The token whose secret has this SHA-256: on every authenticated request, so from
	 * the {@link TokenCache} while it is live, else one unique-index read in plain JDBC
	 * (no persistence context, no transaction), confirmed by a constant-time comparison
	 * of the whole hash.
	 */
	public Optional<AccessToken> findBySecretSha256(byte[] secretSha256) {
		String hex = HexFormat.of().formatHex(secretSha256);
		return this.cache.get(hex, () -> read(hex, secretSha256));
	}

	private Optional<AccessToken> read(String hex, byte[] secretSha256) {
		return this.jdbc.sql(BY_HASH)
			.param(hex)
			.query((rs,
					row) -> new Row(new AccessToken(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
							instant(rs, 5), instant(rs, 6), instant(rs, 7)), rs.getString(8)))
			.optional()
			.filter((found) -> MessageDigest.isEqual(HexFormat.of().parseHex(found.secretSha256()), secretSha256))
			.map(Row::token);
	}

	private static @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private record Row(AccessToken token, String secretSha256) {
	}

	/** A page of tokens, newest first. */
	@Transactional(readOnly = true)
	public Page<AccessToken> list(int page, int size) {
		return this.tokens.findAllByOrderByCreatedAtDescIdDesc(PageRequest.of(page, size)).map(TokenEntity::token);
	}

	/**
	 * Revokes the token {@code id} (a revoked one stays as it was).
	 * @return the token, or empty when no token has this id
	 */
	@Transactional
	public Optional<AccessToken> revoke(String id, Instant now) {
		return this.tokens.findById(id).map((entity) -> {
			if (entity.getRevokedAt() == null) {
				entity.revoke(now);
				this.revocations.announce(this.jdbc);
			}
			return entity.token();
		});
	}

}
