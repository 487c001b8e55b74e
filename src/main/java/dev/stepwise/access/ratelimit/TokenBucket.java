package dev.stepwise.access.ratelimit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One client's token bucket, kept as a single number: the time at which it will be full
 * again (GCRA's "theoretical arrival time", which is a token bucket in other words).
 * Taking a token moves that time one interval later; a bucket whose full time lies more
 * than a burst ahead has no token left. Lock-free: one compare-and-set per request.
 * <p>
 * Times are {@link System#nanoTime()} values, compared by their difference, so the
 * arithmetic holds wherever the clock starts and however long a bucket stays idle.
 */
final class TokenBucket {

	private static final VarHandle FULL_AT;

	static {
		try {
			FULL_AT = MethodHandles.lookup().findVarHandle(TokenBucket.class, "fullAt", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@SuppressWarnings("unused") // through FULL_AT
	private volatile long fullAt;

	/** A full bucket at {@code now}. */
	TokenBucket(long now) {
		this.fullAt = now;
	}

	/**
	 * Takes a token at {@code now}.
	 * @param now the clock, in nanoseconds
	 * @param intervalNanos the time one token takes to come back
	 * @param burstNanos the time an empty bucket takes to fill (burst x interval)
	 * @return 0 when a token was taken, else the nanoseconds until one is there (at most
	 * one interval)
	 */
	long take(long now, long intervalNanos, long burstNanos) {
		while (true) {
			long full = (long) FULL_AT.getVolatile(this);
			// an idle bucket is full, however long it idled: no sum of the idle time
			long from = (full - now > 0) ? full : now;
			long wait = (from - now) + intervalNanos - burstNanos;
			if (wait > 0) {
				return wait;
			}
			if (FULL_AT.compareAndSet(this, full, from + intervalNanos)) {
				return 0;
			}
		}
	}

}
