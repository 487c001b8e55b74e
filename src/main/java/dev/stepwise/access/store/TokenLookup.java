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

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finds a token by the SHA-256 of its secret, on every authenticated request: from the
 * {@link TokenCache} while it is live, else by one unique-index read in plain JDBC (no
 * persistence context, no transaction), confirmed by a constant-time comparison of the
 * whole hash. Apart from {@link TokenStore} because that one is transactional, hence
 * proxied: the proxy's reflective call cost an authenticated read more than this lookup.
 */
@Component
public class TokenLookup {

	private static final String BY_HASH = "select id, name, scope, write_access, created_at, expires_at, revoked_at,"
			+ " secret_sha256 from access_token where secret_sha256 = ?";

	private final JdbcClient jdbc;

	private final TokenCache cache;

	TokenLookup(JdbcClient jdbc, TokenCache cache) {
		this.jdbc = jdbc;
		this.cache = cache;
	}

	/** The token whose secret has this SHA-256, revoked and expired ones included. */
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

}
