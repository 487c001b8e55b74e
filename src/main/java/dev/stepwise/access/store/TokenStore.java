package dev.stepwise.access.store;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

import dev.stepwise.access.AccessToken;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores tokens by the SHA-256 of their secret, lists and revokes them
 * ({@link TokenLookup} finds them by it).
 */
@Component
public class TokenStore {

	private final TokenRepository tokens;

	private final JdbcClient jdbc;

	private final TokenRevocations revocations;

	TokenStore(TokenRepository tokens, JdbcClient jdbc, TokenRevocations revocations) {
		this.tokens = tokens;
		this.jdbc = jdbc;
		this.revocations = revocations;
	}

	/** Stores a new token with the hash of its secret. */
	@Transactional
	public void insert(AccessToken token, byte[] secretSha256) {
		this.tokens.save(new TokenEntity(token, HexFormat.of().formatHex(secretSha256)));
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
