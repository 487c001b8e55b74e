package dev.stepwise.access.store;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

import dev.stepwise.access.AccessToken;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores tokens by the SHA-256 of their secret, and finds them by it.
 */
@Component
public class TokenStore {

	private final TokenRepository tokens;

	TokenStore(TokenRepository tokens) {
		this.tokens = tokens;
	}

	/** Stores a new token with the hash of its secret. */
	@Transactional
	public void insert(AccessToken token, byte[] secretSha256) {
		this.tokens.save(new TokenEntity(token, HexFormat.of().formatHex(secretSha256)));
	}

	/**
	 * The token whose secret has this SHA-256: an index lookup by the hash, confirmed by
	 * a constant-time comparison of the whole hash.
	 */
	public Optional<AccessToken> findBySecretSha256(byte[] secretSha256) {
		String hex = HexFormat.of().formatHex(secretSha256);
		return this.tokens.findBySecretSha256(hex)
			.filter((entity) -> MessageDigest.isEqual(HexFormat.of().parseHex(entity.getSecretSha256()), secretSha256))
			.map(TokenEntity::token);
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
			}
			return entity.token();
		});
	}

}
