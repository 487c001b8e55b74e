package dev.stepwise.access;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.stepwise.access.store.TokenLookup;
import dev.stepwise.access.store.TokenStore;
import dev.stepwise.scheduler.IdScope;
import dev.stepwise.scheduler.InvalidRequestException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Page;
import org.springframework.stereotype.Service;

/**
 * Mints, lists and revokes tokens, and says who a bearer secret belongs to. A secret is
 * looked up by its SHA-256, in the store's token cache while every revocation reaches
 * this replica at once (cleared on a revocation's commit here, and by PostgreSQL's
 * {@code NOTIFY} on the other replicas), else in the database; expiry is checked on every
 * request.
 */
@Service
public class TokenService {

	private static final Log log = LogFactory.getLog(TokenService.class);

	/** Longer bearer secrets are refused unread: no minted or configured one is. */
	static final int MAX_SECRET_LENGTH = 512;

	private final TokenStore store;

	private final TokenLookup lookup;

	private final Clock clock = Clock.systemUTC();

	private final byte @Nullable [] adminSha256;

	private final byte @Nullable [] metricsSha256;

	private final boolean authenticationOn;

	public TokenService(TokenStore store, TokenLookup lookup, AuthProperties properties) {
		this.store = store;
		this.lookup = lookup;
		this.authenticationOn = properties.on();
		this.adminSha256 = hash(properties.adminToken());
		this.metricsSha256 = hash(properties.metricsToken());
	}

	private static byte @Nullable [] hash(@Nullable String token) {
		return AuthProperties.blank(token) ? null : TokenSecrets.sha256(token.strip());
	}

	/** Whether authentication is on (tokens are minted and accepted only then). */
	public boolean authenticationOn() {
		return this.authenticationOn;
	}

	/** Mints a token; the answer is the only place its secret appears. */
	public MintedToken mint(String name, String scope, boolean write, @Nullable Instant expiresAt) {
		IdScope idScope = new IdScope(scope, write);
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		if (expiresAt != null && !expiresAt.isAfter(now)) {
			throw new InvalidRequestException("expires_at", "must be in the future");
		}
		String secret = TokenSecrets.newSecret();
		AccessToken token = new AccessToken(TokenSecrets.newId(), name, idScope.pattern(), write, now,
				(expiresAt != null) ? expiresAt.truncatedTo(ChronoUnit.MICROS) : null, null);
		this.store.insert(token, TokenSecrets.sha256(secret));
		log.info("Minted token " + token.id() + " (" + name + "): scope '" + scope + "', " + (write ? "write" : "read")
				+ ((expiresAt != null) ? ", expires " + expiresAt : ""));
		return new MintedToken(token, secret);
	}

	/** A page of tokens, newest first, revoked and expired ones included. */
	public Page<AccessToken> list(int page, int size) {
		return this.store.list(page, size);
	}

	/** Revokes a token; revoking it again changes nothing. */
	public AccessToken revoke(String id) {
		AccessToken token = this.store.revoke(id, this.clock.instant().truncatedTo(ChronoUnit.MICROS))
			.orElseThrow(() -> new TokenNotFoundException(id));
		log.info("Revoked token " + id + " (" + token.name() + ")");
		return token;
	}

	/**
	 * Who {@code secret} belongs to.
	 * @throws InvalidTokenException when no token has it, or it expired or was revoked
	 */
	public Caller authenticate(String secret) {
		if (secret.isEmpty() || secret.length() > MAX_SECRET_LENGTH) {
			throw new InvalidTokenException("The bearer token is empty or too long.");
		}
		byte[] sha256 = TokenSecrets.sha256(secret);
		if (this.adminSha256 != null && MessageDigest.isEqual(sha256, this.adminSha256)) {
			return new Caller("admin", Caller.Role.ADMIN, IdScope.EVERYTHING);
		}
		if (this.metricsSha256 != null && MessageDigest.isEqual(sha256, this.metricsSha256)) {
			return new Caller("metrics", Caller.Role.METRICS, null);
		}
		AccessToken token = this.lookup.findBySecretSha256(sha256)
			.orElseThrow(() -> new InvalidTokenException("The bearer token is not known."));
		if (token.revokedAt() != null) {
			throw new InvalidTokenException("The bearer token was revoked.");
		}
		if (token.expiresAt() != null && !this.clock.instant().isBefore(token.expiresAt())) {
			throw new InvalidTokenException("The bearer token expired at " + token.expiresAt() + ".");
		}
		return new Caller(token.id(), Caller.Role.TOKEN, new IdScope(token.scope(), token.write()));
	}

}
