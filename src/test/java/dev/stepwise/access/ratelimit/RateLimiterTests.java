package dev.stepwise.access.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The buckets of many clients: each its own, bounded in number, forgotten when idle, and
 * exact under concurrent takes.
 */
class RateLimiterTests {

	private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);

	@Test
	void oneClientsExhaustionDoesNotLimitAnother() {
		RateLimiter limiter = new RateLimiter(10, 3, 100, this.clock::get);
		for (int i = 0; i < 3; i++) {
			assertThat(limiter.acquire("runaway")).isZero();
		}
		for (int i = 0; i < 100; i++) {
			assertThat(limiter.acquire("runaway")).isPositive();
		}
		for (int i = 0; i < 3; i++) {
			assertThat(limiter.acquire("other-job")).as("the other job's request %d", i).isZero();
		}
		assertThat(limiter.acquire("other-job")).isPositive();
	}

	@Test
	void theRateIsTheConfiguredOne() {
		RateLimiter limiter = new RateLimiter(4, 1, 100, this.clock::get);
		assertThat(limiter.acquire("job")).isZero();
		assertThat(limiter.acquire("job")).isEqualTo(250_000_000L);
		this.clock.addAndGet(250_000_000L);
		assertThat(limiter.acquire("job")).isZero();
	}

	@Test
	void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
		assertThat(RateLimiter.retryAfterSeconds(1)).isEqualTo(1);
		assertThat(RateLimiter.retryAfterSeconds(999_999_999L)).isEqualTo(1);
		assertThat(RateLimiter.retryAfterSeconds(1_000_000_000L)).isEqualTo(1);
		assertThat(RateLimiter.retryAfterSeconds(1_000_000_001L)).isEqualTo(2);
		assertThat(RateLimiter.retryAfterSeconds(1_000_000_000_000L)).isEqualTo(1000);
	}

	@Test
	void aSlowRateWaitsSeconds() {
		// one request every 2.5 s
		RateLimiter limiter = new RateLimiter(0.4, 1, 100, this.clock::get);
		assertThat(limiter.acquire("job")).isZero();
		assertThat(RateLimiter.retryAfterSeconds(limiter.acquire("job"))).isEqualTo(3);
		this.clock.addAndGet(2_000_000_000L);
		assertThat(RateLimiter.retryAfterSeconds(limiter.acquire("job"))).isEqualTo(1);
	}

	@Test
	void theBucketsAreBoundedWhateverTheNumberOfClients() {
		RateLimiter limiter = new RateLimiter(10, 3, 1000, this.clock::get);
		for (int i = 0; i < 100_000; i++) {
			assertThat(limiter.acquire("token-" + i)).isZero();
		}
		assertThat(limiter.clients()).isLessThanOrEqualTo(1000);
	}

	@Test
	void aBucketIdleUntilFullIsForgotten() {
		// a burst of 3 at 10/s is full again 300 ms after its last request
		RateLimiter limiter = new RateLimiter(10, 3, 1000, this.clock::get);
		limiter.acquire("job");
		limiter.acquire("job");
		this.clock.addAndGet(299_000_000L);
		assertThat(limiter.clients()).isEqualTo(1);
		this.clock.addAndGet(2_000_000L);
		assertThat(limiter.clients()).isZero();
		for (int i = 0; i < 3; i++) {
			assertThat(limiter.acquire("job")).isZero();
		}
	}

	@Test
	void concurrentRequestsTakeExactlyTheBurst() throws Exception {
		RateLimiter limiter = new RateLimiter(10, 500, 100, this.clock::get);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Integer>> threads = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				threads.add(pool.submit(() -> {
					start.await();
					int taken = 0;
					for (int i = 0; i < 1000; i++) {
						if (limiter.acquire("job") == 0) {
							taken++;
						}
					}
					return taken;
				}));
			}
			start.countDown();
			int taken = 0;
			for (Future<Integer> thread : threads) {
				taken += thread.get(1, TimeUnit.MINUTES);
			}
			assertThat(taken).isEqualTo(500);
		}
		finally {
			pool.shutdownNow();
		}
	}

}
