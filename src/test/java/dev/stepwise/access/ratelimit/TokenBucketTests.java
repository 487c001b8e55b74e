package dev.stepwise.access.ratelimit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bucket against a clock the test moves: bursts, refill, the wait it reports, and
 * idle times of any length.
 */
class TokenBucketTests {

	/** Ten requests per second: one token every 100 ms. */
	private static final long INTERVAL = 100_000_000L;

	/** A burst of five. */
	private static final long BURST = 5 * INTERVAL;

	@Test
	void aFullBucketGivesItsBurstAtOnceAndThenNothing() {
		TokenBucket bucket = new TokenBucket(0);
		for (int i = 0; i < 5; i++) {
			assertThat(bucket.take(0, INTERVAL, BURST)).as("token %d", i).isZero();
		}
		assertThat(bucket.take(0, INTERVAL, BURST)).isEqualTo(INTERVAL);
	}

	@Test
	void aTokenComesBackEveryIntervalAndTheWaitSaysWhen() {
		TokenBucket bucket = new TokenBucket(0);
		drain(bucket, 0);
		assertThat(bucket.take(30_000_000L, INTERVAL, BURST)).isEqualTo(70_000_000L);
		assertThat(bucket.take(INTERVAL - 1, INTERVAL, BURST)).isEqualTo(1);
		assertThat(bucket.take(INTERVAL, INTERVAL, BURST)).isZero();
		assertThat(bucket.take(INTERVAL, INTERVAL, BURST)).isEqualTo(INTERVAL);
		// two and a half intervals later: two tokens, the third half-way
		long later = INTERVAL + 2 * INTERVAL + INTERVAL / 2;
		assertThat(bucket.take(later, INTERVAL, BURST)).isZero();
		assertThat(bucket.take(later, INTERVAL, BURST)).isZero();
		assertThat(bucket.take(later, INTERVAL, BURST)).isEqualTo(INTERVAL / 2);
	}

	@Test
	void refusalsTakeNothing() {
		TokenBucket bucket = new TokenBucket(0);
		drain(bucket, 0);
		for (int i = 0; i < 1000; i++) {
			assertThat(bucket.take(0, INTERVAL, BURST)).isPositive();
		}
		assertThat(bucket.take(INTERVAL, INTERVAL, BURST)).isZero();
	}

	@Test
	void anIdleBucketRefillsOnlyUpToItsBurst() {
		TokenBucket bucket = new TokenBucket(0);
		drain(bucket, 0);
		long muchLater = 1000 * INTERVAL;
		assertThat(drain(bucket, muchLater)).isEqualTo(5);
	}

	@Test
	void idleTimesNearTheClocksRangeDoNotOverflow() {
		TokenBucket bucket = new TokenBucket(0);
		drain(bucket, 0);
		// idle for 292 years, the longest a nanoTime difference spans: full, not wrapped
		long now = Long.MAX_VALUE - BURST;
		assertThat(drain(bucket, now)).isEqualTo(5);
		assertThat(bucket.take(now, INTERVAL, BURST)).isEqualTo(INTERVAL);
	}

	@Test
	void theClockMayWrapAround() {
		// System.nanoTime() may start anywhere, also just before Long.MAX_VALUE
		long start = Long.MAX_VALUE - INTERVAL / 2;
		TokenBucket bucket = new TokenBucket(start);
		drain(bucket, start);
		long wrapped = start + INTERVAL; // overflows to a negative value
		assertThat(wrapped).isNegative();
		assertThat(bucket.take(wrapped, INTERVAL, BURST)).isZero();
		assertThat(bucket.take(wrapped, INTERVAL, BURST)).isEqualTo(INTERVAL);
	}

	/** Takes tokens at {@code now} until the bucket refuses; how many it gave. */
	private static int drain(TokenBucket bucket, long now) {
		int taken = 0;
		while (bucket.take(now, INTERVAL, BURST) == 0) {
			taken++;
			assertThat(taken).as("a bucket of five").isLessThanOrEqualTo(5);
		}
		return taken;
	}

}
