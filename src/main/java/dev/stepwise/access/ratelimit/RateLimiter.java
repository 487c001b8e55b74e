package dev.stepwise.access.ratelimit;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * A token bucket per client key, all of one size and rate, in a cache bounded in keys:
 * memory stays bounded whatever the number of clients. A bucket idle for as long as an
 * empty one takes to fill is full, exactly what a new one is, so it expires then; when
 * more clients are active than the bound, Caffeine's admission keeps the buckets in use
 * and a bucket evicted anyway comes back full: the bound can loosen a limit, never
 * tighten it.
 */
final class RateLimiter {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private final double requestsPerSecond;

	private final int burst;

	private final long intervalNanos;

	private final long burstNanos;

	private final Ticker clock;

	private final Cache<String, TokenBucket> buckets;

	/**
	 * @param requestsPerSecond the rate a bucket refills at
	 * @param burst the tokens of a full bucket: requests a client may send at once
	 * @param maxClients the most buckets kept
	 * @param clock the clock of the buckets and of their expiry
	 */
	RateLimiter(double requestsPerSecond, int burst, int maxClients, Ticker clock) {
		this.requestsPerSecond = requestsPerSecond;
		this.burst = burst;
		this.intervalNanos = Math.max(1, Math.round(NANOS_PER_SECOND / requestsPerSecond));
		this.burstNanos = Math.multiplyExact(burst, this.intervalNanos);
		this.clock = clock;
		this.buckets = Caffeine.newBuilder()
			.maximumSize(maxClients)
			.expireAfterAccess(Duration.ofNanos(this.burstNanos))
			.ticker(clock)
			.executor(Runnable::run)
			.build();
	}

	/**
	 * Takes a token from the bucket of {@code clientKey}.
	 * @return 0 when the request may go ahead, else the nanoseconds until the client's
	 * next token
	 */
	long acquire(String clientKey) {
		long now = this.clock.read();
		TokenBucket bucket = this.buckets.get(clientKey, (key) -> new TokenBucket(now));
		return bucket.take(now, this.intervalNanos, this.burstNanos);
	}

	/** The whole seconds of a {@code Retry-After} for a wait: rounded up, at least 1. */
	static long retryAfterSeconds(long waitNanos) {
		return Math.max(1, waitNanos / NANOS_PER_SECOND + ((waitNanos % NANOS_PER_SECOND > 0) ? 1 : 0));
	}

	double requestsPerSecond() {
		return this.requestsPerSecond;
	}

	int burst() {
		return this.burst;
	}

	/** The buckets kept, after pending evictions. */
	long clients() {
		this.buckets.cleanUp();
		return this.buckets.estimatedSize();
	}

}
