package dev.stepwise.scheduler.commit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.stepwise.scheduler.SchedulerPosition;
import dev.stepwise.scheduler.StepCommand;
import dev.stepwise.scheduler.StepResult;
import dev.stepwise.system.StepwiseProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
	void batchSizeAndWritersAreAtLeastOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new StepWriter(this.committer, properties(0, 1)));
		assertThatIllegalArgumentException().isThrownBy(() -> new StepWriter(this.committer, properties(1, 0)));
	}

	private StepWriter writer(int batchSize, boolean holdFirstCommit) {
		willAnswer((invocation) -> {
			if (holdFirstCommit && this.firstCommitEntered.getCount() > 0) {
				this.firstCommitEntered.countDown();
				this.releaseFirstCommit.await();
			}
			return settle(invocation);
		}).given(this.committer).commit(any());
		this.writer = new StepWriter(this.committer, properties(batchSize, 1));
		return this.writer;
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
		return new StepwiseProperties("./data", DataSize.ofMegabytes(1), 10,
				new StepwiseProperties.Steps(batchSize, writers),
				new StepwiseProperties.Compute(1, 8, Duration.ofSeconds(2)));
	}

}
