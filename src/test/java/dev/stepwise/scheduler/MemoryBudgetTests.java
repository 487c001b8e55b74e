package dev.stepwise.scheduler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.stepwise.system.StepwiseProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The memory budget: reservations up to the limit, a bounded wait for room, a refusal
 * naming estimate and limit for what could never fit, and every byte given back.
 */
class MemoryBudgetTests {

	@Test
	void defaultsToAQuarterOfTheHeap() {
		assertThat(MemoryBudget.budget(0, 224L << 20)).isEqualTo(56L << 20);
		assertThat(MemoryBudget.budget(10L << 20, 224L << 20)).isEqualTo(10L << 20);
	}

	@Test
	void reservesUpToTheLimitAndGivesBack() {
		MemoryBudget budget = new MemoryBudget(100);
		MemoryBudget.Reservation first = budget.reserve(60, Duration.ZERO);
		MemoryBudget.Reservation second = budget.reserve(40, Duration.ZERO);
		assertThat(budget.reserved()).isEqualTo(100);
		assertThatExceptionOfType(ComputeBusyException.class).isThrownBy(() -> budget.reserve(1, Duration.ZERO));
		first.close();
		first.close();
		assertThat(budget.reserved()).isEqualTo(40);
		second.close();
		assertThat(budget.reserved()).isZero();
	}

	@Test
	void refusesAnEstimateLargerThanTheWholeBudgetNamingBoth() {
		MemoryBudget budget = new MemoryBudget(100);
		assertThatExceptionOfType(ComputeTooLargeException.class).isThrownBy(() -> budget.reserve(101, Duration.ZERO))
			.satisfies((ex) -> {
				assertThat(ex.estimate()).isEqualTo(101);
				assertThat(ex.limit()).isEqualTo(100);
				assertThat(ex.getMessage()).contains("101 bytes", "limit of 100 bytes");
			});
		assertThat(budget.reserved()).isZero();
	}

	@Test
	void waitsForRoomABoundedTime() throws Exception {
		MemoryBudget budget = new MemoryBudget(100);
		MemoryBudget.Reservation held = budget.reserve(80, Duration.ZERO);
		long start = System.nanoTime();
		assertThatExceptionOfType(ComputeBusyException.class)
			.isThrownBy(() -> budget.reserve(30, Duration.ofMillis(100)))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofMillis(100)));
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(90));
		CompletableFuture<MemoryBudget.Reservation> waiting = CompletableFuture
			.supplyAsync(() -> budget.reserve(30, Duration.ofSeconds(10)));
		Thread.sleep(50);
		assertThat(waiting).isNotDone();
		held.close();
		waiting.get(5, TimeUnit.SECONDS).close();
		assertThat(budget.reserved()).isZero();
	}

	@Test
	void aReservationGrowsOnlyIntoRoom() {
		MemoryBudget budget = new MemoryBudget(100);
		MemoryBudget.Reservation body = budget.reserve(10, Duration.ZERO);
		MemoryBudget.Reservation other = budget.reserve(50, Duration.ZERO);
		body.growTo(40);
		body.growTo(20);
		assertThat(body.bytes()).isEqualTo(40);
		assertThatExceptionOfType(ComputeBusyException.class).isThrownBy(() -> body.growTo(60));
		assertThatExceptionOfType(ComputeTooLargeException.class).isThrownBy(() -> body.growTo(101));
		assertThat(budget.reserved()).isEqualTo(90);
		other.close();
		body.close();
		assertThat(budget.reserved()).isZero();
	}

	@Test
	void theBulkheadHoldsMemoryForTheWorkAndTakesASlotOnlyForHeavyWork() throws Exception {
		ComputeBulkhead bulkhead = new ComputeBulkhead(properties(1, 0), new MemoryBudget(100));
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Object> heavy = CompletableFuture.supplyAsync(() -> bulkhead.call(60, () -> {
			running.countDown();
			await(release);
			return null;
		}));
		assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(bulkhead.memory().reserved()).isEqualTo(60);
		// light work needs no slot, only room
		assertThat(bulkhead.hold(40, () -> "light")).isEqualTo("light");
		// no room and no waiting allowed: 503 at once
		assertThatExceptionOfType(ComputeBusyException.class).isThrownBy(() -> bulkhead.hold(41, () -> "no"));
		assertThatExceptionOfType(ComputeBusyException.class).isThrownBy(() -> bulkhead.slot(() -> "no"));
		assertThatExceptionOfType(ComputeTooLargeException.class).isThrownBy(() -> bulkhead.hold(101, () -> "no"));
		release.countDown();
		heavy.get(5, TimeUnit.SECONDS);
		assertThat(bulkhead.memory().reserved()).isZero();
		// a slot is re-entrant for the thread that holds it
		assertThat(bulkhead.slot(() -> bulkhead.slot(() -> "nested"))).isEqualTo("nested");
	}

	@Test
	void estimatesGrowWithWhatTheRequestIs() {
		long small = MemoryEstimate.computation(Map.of("type", "StepLR", "step_size", 3L), 2, 0);
		long groups = MemoryEstimate.computation(Map.of("type", "StepLR", "step_size", 3L), 1024, 0);
		long nested = MemoryEstimate.computation(Map.of("type", "ChainedScheduler", "schedulers",
				List.of(Map.of("type", "ConstantLR"), Map.of("type", "ConstantLR"))), 1024, 0);
		long expression = MemoryEstimate
			.computation(Map.of("type", "LambdaLR", "lr_lambda", "epoch * 0.5 + 1".repeat(64)), 1, 0);
		assertThat(small).isLessThan(MemoryEstimate.LIGHT_BYTES);
		assertThat(groups).isGreaterThan(small);
		assertThat(nested).isGreaterThan(groups);
		assertThat(expression).isGreaterThan(small + 16 * 900);
		assertThat(MemoryEstimate.parsedBody(1000, 300)).isGreaterThan(MemoryEstimate.parsedBody(1000, 3));
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static StepwiseProperties properties(int concurrency, int maxWaiting) {
		return new StepwiseProperties("./data", org.springframework.util.unit.DataSize.ofMegabytes(1),
				Duration.ofSeconds(10), 10, new StepwiseProperties.Steps(32, 1, Duration.ofSeconds(5)),
				new StepwiseProperties.Compute(concurrency, maxWaiting, Duration.ofMillis(100)));
	}

}
