package dev.stepwise.scheduler.commit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import dev.stepwise.schedule.StepException;
import dev.stepwise.scheduler.EpochConflictException;
import dev.stepwise.scheduler.SchedulerNotFoundException;
import dev.stepwise.scheduler.SchedulerPosition;
import dev.stepwise.scheduler.StaleAttemptException;
import dev.stepwise.scheduler.StepCommand;
import dev.stepwise.scheduler.StepResult;
import dev.stepwise.scheduler.StepUnconfirmedException;
import dev.stepwise.system.FatalErrors;
import dev.stepwise.system.StepwiseMeters;
import dev.stepwise.system.StepwiseMeters.StepOutcome;
import dev.stepwise.system.StepwiseProperties;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;

/**
 * The group commit's queue: steps that arrive while a batch commits are committed
 * together in the next one, at most a batch size of them; a failed commit fails only its
 * own steps; stopping commits what is queued.
 */
class StepWriterTests {

	private final StepCommitter committer = mock(StepCommitter.class);

	private final List<List<String>> batches = new CopyOnWriteArrayList<>();

	private final List<Thread> committingThreads = new CopyOnWriteArrayList<>();

	private final CountDownLatch firstCommitEntered = new CountDownLatch(1);

	private final CountDownLatch releaseFirstCommit = new CountDownLatch(1);

	private final ExecutorService callers = Executors.newCachedThreadPool();

	private StepWriter writer;

	private final List<Integer> halts = new CopyOnWriteArrayList<>();

	private final FatalErrors fatal = new FatalErrors(this.halts::add);

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@AfterEach
	void stop() {
		this.releaseFirstCommit.countDown();
		if (this.writer != null) {
			this.writer.stop();
		}
		this.callers.shutdownNow();
	}

	@Test
	void commitsInTheCallersThreadWhileStopped() {
		StepWriter writer = writer(4, false);
		assertThat(writer.step("a", new StepCommand(null, null)).position().id()).isEqualTo("a");
		assertThat(this.committingThreads).containsExactly(Thread.currentThread());
		assertThat(this.batches).containsExactly(List.of("a"));
	}

	@Test
	void stepsQueuedDuringACommitShareTheNextOneUpToTheBatchSize() throws Exception {
		StepWriter writer = writer(4, true);
		writer.start();
		CompletableFuture<StepResult> first = submit(writer, "first");
		assertThat(this.firstCommitEntered.await(10, TimeUnit.SECONDS)).isTrue();
		List<CompletableFuture<StepResult>> queued = new CopyOnWriteArrayList<>();
		for (int i = 0; i < 6; i++) {
			queued.add(submit(writer, "s" + i));
		}
		awaitTrue(() -> writer.queued() == 6);
		this.releaseFirstCommit.countDown();
		assertThat(first.get(10, TimeUnit.SECONDS).position().id()).isEqualTo("first");
		for (int i = 0; i < 6; i++) {
			assertThat(queued.get(i).get(10, TimeUnit.SECONDS).position().id()).isEqualTo("s" + i);
		}
		assertThat(this.batches).hasSize(3);
		assertThat(this.batches.get(0)).containsExactly("first");
		assertThat(this.batches.get(1)).hasSize(4);
		assertThat(this.batches.get(2)).hasSize(2);
		assertThat(this.committingThreads)
			.allSatisfy((thread) -> assertThat(thread.getName()).startsWith("step-writer-"));
	}

	@Test
	void aFailedCommitFailsItsStepsAndTheWriterGoesOn() {
		StepWriter writer = writer(4, false);
		willAnswer((invocation) -> {
			throw new IllegalStateException("broken");
		}).willAnswer(this::settle).given(this.committer).commit(any());
		writer.start();
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> writer.step("a", new StepCommand(null, null)))
			.withMessage("broken");
		assertThat(writer.step("b", new StepCommand(null, null)).position().id()).isEqualTo("b");
	}

	@Test
	void stoppingCommitsWhatIsQueuedAndLaterStepsCommitInTheirOwnThread() throws Exception {
		StepWriter writer = writer(4, true);
		writer.start();
		CompletableFuture<StepResult> first = submit(writer, "first");
		assertThat(this.firstCommitEntered.await(10, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<StepResult> queued = submit(writer, "queued");
		awaitTrue(() -> writer.queued() == 1);
		CompletableFuture<Void> stopped = CompletableFuture.runAsync(writer::stop, this.callers);
		this.releaseFirstCommit.countDown();
		stopped.get(10, TimeUnit.SECONDS);
		assertThat(first.get().position().id()).isEqualTo("first");
		assertThat(queued.get().position().id()).isEqualTo("queued");
		assertThat(writer.isRunning()).isFalse();
		assertThat(writer.step("late", new StepCommand(null, null)).position().id()).isEqualTo("late");
		assertThat(this.committingThreads.get(this.committingThreads.size() - 1)).isEqualTo(Thread.currentThread());
	}

	@Test
	void aStepWaitsForItsCommitAtMostTheTimeoutAndIsStillCommittedAfterwards() throws Exception {
		writer(4, true);
		StepWriter writer = newWriter(properties(4, 1, Duration.ofMillis(200)));
		writer.start();
		assertThatExceptionOfType(StepUnconfirmedException.class)
			.isThrownBy(() -> writer.step("slow", new StepCommand(1.0, null)))
			.withMessageContaining("Retry with the same epoch");
		assertThat(this.firstCommitEntered.getCount()).isZero();
		this.releaseFirstCommit.countDown();
		awaitTrue(() -> this.batches.contains(List.of("slow")));
	}

	@Test
	void aStepNotTakenByItsTimeoutIsNotCommittedLater() throws Exception {
		writer(4, true);
		StepWriter writer = newWriter(properties(4, 1, Duration.ofMillis(200)));
		writer.start();
		CompletableFuture<StepResult> first = submit(writer, "first");
		assertThat(this.firstCommitEntered.await(10, TimeUnit.SECONDS)).isTrue();
		assertThatExceptionOfType(StepUnconfirmedException.class)
			.isThrownBy(() -> writer.step("behind", new StepCommand(null, null)));
		assertThat(writer.queued()).isZero();
		this.releaseFirstCommit.countDown();
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> first.get(10, TimeUnit.SECONDS));
		assertThat(writer.step("next", new StepCommand(null, null))).isNotNull();
		assertThat(this.batches).containsExactly(List.of("first"), List.of("next"));
	}

	@Test
	void aWriterThatDiesIsReplacedAndReadinessRefusesTrafficMeanwhile() throws Exception {
		StepWriter writer = failingWriter(new LinkageError("injected"), 1);
		writer.start();
		assertThatExceptionOfType(StepUnconfirmedException.class)
			.isThrownBy(() -> writer.step("a", new StepCommand(null, null)));
		awaitTrue(() -> writer.deaths() == 1);
		assertThat(states()).startsWith(ReadinessState.REFUSING_TRAFFIC);
		awaitTrue(() -> states().contains(ReadinessState.ACCEPTING_TRAFFIC));
		assertThat(writer.alive()).isEqualTo(1);
		assertThat(writer.step("b", new StepCommand(null, null)).position().id()).isEqualTo("b");
		assertThat(this.committingThreads.get(this.committingThreads.size() - 1).getName()).isEqualTo("step-writer-1");
		assertThat(states()).doesNotContain(LivenessState.BROKEN);
		assertThat(this.halts).isEmpty();
	}

	@Test
	void stepsGoOnInTheirOwnThreadsWhileNoWriterIsAlive() throws Exception {
		StepWriter writer = failingWriter(new LinkageError("injected"), 1);
		writer.start();
		assertThatExceptionOfType(StepUnconfirmedException.class)
			.isThrownBy(() -> writer.step("a", new StepCommand(null, null)));
		awaitTrue(() -> writer.alive() == 0);
		assertThat(writer.step("b", new StepCommand(null, null)).position().id()).isEqualTo("b");
		assertThat(this.committingThreads).containsExactly(Thread.currentThread());
	}

	@Test
	void writersDyingAgainAndAgainBreakLivenessUntilABatchCommits() throws Exception {
		StepWriter writer = failingWriter(new LinkageError("injected"), StepWriter.DEATHS_TO_BREAK);
		writer.start();
		for (int death = 1; death <= StepWriter.DEATHS_TO_BREAK; death++) {
			awaitTrue(() -> writer.alive() == 1);
			assertThatExceptionOfType(StepUnconfirmedException.class)
				.isThrownBy(() -> writer.step("a", new StepCommand(null, null)));
			int deaths = death;
			awaitTrue(() -> writer.deaths() == deaths);
		}
		awaitTrue(() -> states().contains(LivenessState.BROKEN));
		awaitTrue(() -> writer.alive() == 1);
		assertThat(writer.step("b", new StepCommand(null, null)).position().id()).isEqualTo("b");
		// the replacer may announce readiness after this; liveness is what must be back
		awaitTrue(() -> lastLiveness() == LivenessState.CORRECT);
	}

	@Test
	void anOutOfMemoryErrorInAWriterHaltsTheProcess() throws Exception {
		StepWriter writer = failingWriter(new OutOfMemoryError("injected"), 1);
		writer.start();
		assertThatExceptionOfType(StepUnconfirmedException.class)
			.isThrownBy(() -> writer.step("a", new StepCommand(null, null)));
		awaitTrue(() -> !this.halts.isEmpty());
		assertThat(this.halts).allSatisfy((status) -> assertThat(status).isEqualTo(FatalErrors.STATUS));
	}

	@Test
	void batchSizeAndWritersAreAtLeastOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> newWriter(properties(0, 1)));
		assertThatIllegalArgumentException().isThrownBy(() -> newWriter(properties(1, 0)));
		assertThatIllegalArgumentException().isThrownBy(() -> newWriter(properties(1, 1, Duration.ZERO)));
	}

	private StepWriter writer(int batchSize, boolean holdFirstCommit) {
		willAnswer((invocation) -> {
			if (holdFirstCommit && this.firstCommitEntered.getCount() > 0) {
				this.firstCommitEntered.countDown();
				this.releaseFirstCommit.await();
			}
			return settle(invocation);
		}).given(this.committer).commit(any());
		return newWriter(properties(batchSize, 1));
	}

	/** A writer whose first {@code times} commits throw {@code error}. */
	private StepWriter failingWriter(Error error, int times) {
		StepWriter writer = writer(4, false);
		AtomicInteger thrown = new AtomicInteger();
		willAnswer((invocation) -> {
			if (thrown.getAndIncrement() < times) {
				throw error;
			}
			return settle(invocation);
		}).given(this.committer).commit(any());
		return writer;
	}

	private Object settle(org.mockito.invocation.InvocationOnMock invocation) {
		List<PendingStep> steps = invocation.getArgument(0);
		this.committingThreads.add(Thread.currentThread());
		this.batches.add(steps.stream().map(PendingStep::schedulerId).toList());
		for (PendingStep step : steps) {
			step.settle(
					PendingStep.Outcome.of(new StepResult(new SchedulerPosition(step.schedulerId(), 1, "[]"), false)));
		}
		return null;
	}

	@Test
	void measuresEachStepTheQueueAndEachBatch() throws Exception {
		StepWriter writer = writer(4, true);
		writer.start();
		CompletableFuture<StepResult> first = submit(writer, "a");
		assertThat(this.firstCommitEntered.await(10, TimeUnit.SECONDS)).isTrue();
		List<CompletableFuture<StepResult>> queued = List.of(submit(writer, "b"), submit(writer, "c"),
				submit(writer, "d"));
		awaitTrue(() -> this.registry.get(StepwiseMeters.STEP_QUEUE_DEPTH).gauge().value() == 3);
		this.releaseFirstCommit.countDown();
		first.get(10, TimeUnit.SECONDS);
		for (CompletableFuture<StepResult> step : queued) {
			step.get(10, TimeUnit.SECONDS);
		}
		assertThat(this.registry.get(StepwiseMeters.STEPS).tag("outcome", "applied").counter().count()).isEqualTo(4);
		assertThat(this.registry.get(StepwiseMeters.STEP_LATENCY).timer().count()).isEqualTo(4);
		assertThat(this.registry.get(StepwiseMeters.STEP_QUEUE_WAIT).timer().count()).isEqualTo(4);
		DistributionSummary batches = this.registry.get(StepwiseMeters.STEP_BATCH_SIZE).summary();
		assertThat(batches.count()).isEqualTo(2);
		assertThat(batches.totalAmount()).isEqualTo(4);
		assertThat(batches.max()).isEqualTo(3);
		assertThat(this.registry.get(StepwiseMeters.STEP_COMMIT).timer().count()).isEqualTo(2);
		assertThat(this.registry.get(StepwiseMeters.STEP_QUEUE_DEPTH).gauge().value()).isZero();
	}

	@Test
	void tellsTheOutcomeOfAFailedStep() {
		assertThat(StepWriter.outcomeOf(EpochConflictException.gap("5", 3))).isEqualTo(StepOutcome.CONFLICT);
		assertThat(StepWriter.outcomeOf(new StaleAttemptException("job/1", "job/2"))).isEqualTo(StepOutcome.CONFLICT);
		assertThat(StepWriter.outcomeOf(new StepException(StepException.Reason.METRIC_REQUIRED, "metric")))
			.isEqualTo(StepOutcome.REFUSED);
		assertThat(StepWriter.outcomeOf(new SchedulerNotFoundException("a"))).isEqualTo(StepOutcome.FAILED);
		assertThat(StepWriter.outcomeOf(new StepUnconfirmedException("late", new RuntimeException())))
			.isEqualTo(StepOutcome.FAILED);
	}

	private CompletableFuture<StepResult> submit(StepWriter writer, String id) {
		return CompletableFuture.supplyAsync(() -> writer.step(id, new StepCommand(null, null)), this.callers);
	}

	private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
			Thread.sleep(5);
		}
	}

	private static StepwiseProperties properties(int batchSize, int writers) {
		return properties(batchSize, writers, Duration.ofSeconds(10));
	}

	private static StepwiseProperties properties(int batchSize, int writers, Duration commitTimeout) {
		return new StepwiseProperties("./data", DataSize.ofMegabytes(1), Duration.ofSeconds(10), 10,
				new StepwiseProperties.Steps(batchSize, writers, commitTimeout),
				new StepwiseProperties.Compute(1, 8, Duration.ofSeconds(2)));
	}

	private StepWriter newWriter(StepwiseProperties properties) {
		this.writer = new StepWriter(this.committer, properties, this.fatal, this.events::add,
				new StepwiseMeters(this.registry), StepTracing.OFF);
		return this.writer;
	}

	private @Nullable Object lastLiveness() {
		List<Object> liveness = states().stream().filter(LivenessState.class::isInstance).toList();
		return liveness.isEmpty() ? null : liveness.get(liveness.size() - 1);
	}

	private List<Object> states() {
		return this.events.stream()
			.filter(AvailabilityChangeEvent.class::isInstance)
			.map((event) -> (Object) ((AvailabilityChangeEvent<?>) event).getState())
			.toList();
	}

}
