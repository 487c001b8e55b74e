package dev.stepwise.access.store;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.stepwise.access.AccessToken;

import org.springframework.stereotype.Component;

/**
 * The tokens this replica looked up lately, by the SHA-256 of their secret, so that an
 * authenticated request does not read the database (that read halved the throughput of
 * {@code GET .../lr}). It is used only while every revocation reaches this replica at
 * once ({@link #live()}): on the embedded H2 database, which one process owns, a
 * revocation here clears it on commit; on PostgreSQL, a revocation on any replica is a
 * {@code NOTIFY} that {@link TokenRevocationListener} turns into {@link #clear()}, and
 * while that listener is not connected nothing is cached. Unknown secrets are never
 * cached, so a token minted on another replica works at once. Expiry is checked on every
 * request from the cached expiry.
 * <p>
 * A lookup that raced with a clear must not put back what the clear removed: each clear
 * moves the generation on, and a lookup drops its entry again when the generation moved
 * while it read the database.
 */
@Component
public class TokenCache {

	/** At most this many tokens: a cluster's jobs, dashboards and scrapers. */
	static final int MAX_TOKENS = 10_000;

	/** A safety net only: revocations clear the cache at once. */
	static final long MAX_AGE_SECONDS = 300;

	private final Cache<String, AccessToken> tokens = Caffeine.newBuilder()
		.maximumSize(MAX_TOKENS)
		.expireAfterWrite(MAX_AGE_SECONDS, TimeUnit.SECONDS)
		.build();

	private final AtomicLong generation = new AtomicLong();

	private volatile boolean live;

	/** Whether revocations reach this replica at once, so caching is safe. */
	public boolean live() {
		return this.live;
	}

	/**
	 * Turns caching on (after clearing what might be stale) or off.
	 * @param live whether every revocation reaches this replica at once from now on
	 */
	void live(boolean live) {
		if (!live) {
			this.live = false;
		}
		clear();
		this.live = live;
	}

	/** Forgets every token: one was revoked somewhere. */
	void clear() {
		this.generation.incrementAndGet();
		this.tokens.invalidateAll();
	}

	/**
	 * The token with this hash: cached, or read by {@code lookup} and cached when live.
	 */
	Optional<AccessToken> get(String secretSha256Hex, Supplier<Optional<AccessToken>> lookup) {
		if (!this.live) {
			return lookup.get();
		}
		AccessToken cached = this.tokens.getIfPresent(secretSha256Hex);
		if (cached != null) {
			return Optional.of(cached);
		}
		long before = this.generation.get();
		Optional<AccessToken> found = lookup.get();
		found.ifPresent((token) -> {
			this.tokens.put(secretSha256Hex, token);
			// a clear since the read: what was read may be revoked already
			if (this.generation.get() != before || !this.live) {
				this.tokens.invalidate(secretSha256Hex);
			}
		});
		return found;
	}

	/** How many tokens are cached (for tests). */
	long size() {
		this.tokens.cleanUp();
		return this.tokens.estimatedSize();
	}

}
