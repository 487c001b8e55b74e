package dev.stepwise.scheduler.commit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.stepwise.schedule.StepException;
import dev.stepwise.scheduler.EpochConflictException;
import dev.stepwise.scheduler.StaleAttemptException;
import dev.stepwise.scheduler.StepCommand;
import dev.stepwise.scheduler.StepResult;
import dev.stepwise.scheduler.StepUnconfirmedException;
import dev.stepwise.system.FatalErrors;
import dev.stepwise.system.StepwiseMeters;
import dev.stepwise.system.StepwiseMeters.StepOutcome;
import dev.stepwise.system.StepwiseProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Group commit of steps. Request threads queue their steps and wait; writer threads take
 * whatever has queued up (at most {@code stepwise.steps.batch-size} steps) and commit it
 * in one transaction. A commit that makes a step durable costs about the same for one
 * step as for thirty (H2 rewrites the B-tree pages the commit touched, PostgreSQL flushes
 * its WAL), so under load many steps share it; alone, a step is committed at once. Stops
 * after the web server, once the queue is empty; a step that arrives while the writers
 * are stopped, or all dead, is committed by its own thread.
 * <p>
 * A request waits at most {@code stepwise.steps.commit-timeout} for its commit. A writer
 * that dies of an error is replaced after {@link #REPLACE_DELAY}; until then readiness
 * refuses traffic, and after {@link #DEATHS_TO_BREAK} deaths with no commit between them
 * liveness is broken (the supervisor restarts the process). An error of the virtual
 * machine (out of memory) halts the process.
 */
@Component
public class StepWriter implements SmartLifecycle {

	/**
	 * How long a dead writer's slot stays empty: a writer that dies at once does not
	 * spin.
	 */
	static final Duration REPLACE_DELAY = Duration.ofSeconds(1);

	/** Writer deaths in a row, without a batch committed between, that break liveness. */
	static final int DEATHS_TO_BREAK = 3;

	private static final Log logger = LogFactory.getLog(StepWriter.class);

	private final BlockingQueue<PendingStep> queue = new LinkedBlockingQueue<>();

	private final Object lifecycleMonitor = new Object();

	private final Thread[] writers;

	private final StepCommitter committer;

	private final FatalErrors fatal;

	private final ApplicationEventPublisher events;

	private final Executor replacer = CompletableFuture.delayedExecutor(REPLACE_DELAY.toMillis(),
			TimeUnit.MILLISECONDS);

	private final int batchSize;

	private final Duration commitTimeout;

	private final StepwiseMeters meters;

	private final StepTracing tracing;

	private volatile boolean running;

	private volatile int alive;

	private volatile long deaths;

	private volatile int deathsInARow;

	StepWriter(StepCommitter committer, StepwiseProperties properties, FatalErrors fatal,
			ApplicationEventPublisher events, StepwiseMeters meters, StepTracing tracing) {
		this.committer = committer;
		this.meters = meters;
		this.tracing = tracing;
		this.fatal = fatal;
		this.events = events;
		this.batchSize = properties.steps().batchSize();
		int writerCount = properties.steps().writers();
		this.commitTimeout = properties.steps().commitTimeout();
		if (this.batchSize < 1 || writerCount < 1) {
			throw new IllegalArgumentException(
					"stepwise.steps.batch-size and stepwise.steps.writers must be at least 1," + " not "
							+ this.batchSize + " and " + writerCount);
		}
		if (this.commitTimeout.isNegative() || this.commitTimeout.isZero()) {
			throw new IllegalArgumentException(
					"stepwise.steps.commit-timeout must be positive, not " + this.commitTimeout);
		}
		this.writers = new Thread[writerCount];
		meters.watchQueueDepth(this::queued);
	}

	/**
	 * Takes a step and returns once it is committed (or throws why it was not taken).
	 * @throws StepUnconfirmedException when the commit did not end within the commit
	 * timeout, or its writer died
	 */
	public StepResult step(String id, StepCommand command) {
		PendingStep step = new PendingStep(id, command, this.tracing.trace());
		try {
			StepResult result = take(step);
			this.meters.stepped(result.replayed() ? StepOutcome.REPLAYED : StepOutcome.APPLIED, step.age());
			return result;
		}
		catch (RuntimeException ex) {
			this.meters.stepped(outcomeOf(ex), step.age());
			throw ex;
		}
	}

	/** What a step that ended with {@code failure} came to. */
	static StepOutcome outcomeOf(RuntimeException failure) {
		if (failure instanceof EpochConflictException || failure instanceof StaleAttemptException) {
			return StepOutcome.CONFLICT;
		}
		return (failure instanceof StepException) ? StepOutcome.REFUSED : StepOutcome.FAILED;
	}

	private StepResult take(PendingStep step) {
		step.queued();
		boolean queued;
		synchronized (this.lifecycleMonitor) {
			queued = this.running && this.alive > 0 && this.queue.offer(step);
		}
		if (!queued) {
			step.taken();
			commitTimed(List.of(step));
		}
		try {
			return step.result(this.commitTimeout);
		}
		catch (StepUnconfirmedException ex) {
			// not taken yet: it never will be, so the writers need not spend time on it
			this.queue.remove(step);
			throw ex;
		}
	}

	/** How many steps wait for a writer. */
	int queued() {
		return this.queue.size();
	}

	/** The writer threads there should be. */
	public int writers() {
		return this.writers.length;
	}

	/** The writer threads running now. */
	public int alive() {
		return this.alive;
	}

	/** How many writers died since the start. */
	public long deaths() {
		return this.deaths;
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			this.running = true;
			for (int slot = 0; slot < this.writers.length; slot++) {
				startWriter(slot);
			}
		}
		logger.info("Committing steps in batches of up to " + this.batchSize + " with " + this.writers.length
				+ " writer thread(s)");
	}

	@Override
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			this.running = false;
		}
		for (int slot = 0; slot < this.writers.length; slot++) {
			Thread writer;
			synchronized (this.lifecycleMonitor) {
				writer = this.writers[slot];
			}
			if (writer == null) {
				continue;
			}
			try {
				writer.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		synchronized (this.lifecycleMonitor) {
			Arrays.fill(this.writers, null);
			this.alive = 0;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Starts before and stops after the web server (whose graceful shutdown waits for its
	 * requests).
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	/** Starts the writer of a slot; called with the lifecycle monitor held. */
	private void startWriter(int slot) {
		Thread writer = new Thread(this::write, "step-writer-" + (slot + 1));
		writer.setDaemon(true);
		writer.setUncaughtExceptionHandler((thread, failure) -> died(slot, thread, failure));
		this.writers[slot] = writer;
		this.alive++;
		writer.start();
	}

	private void died(int slot, Thread thread, Throwable failure) {
		this.fatal.check(failure, thread.getName());
		logger.error(thread.getName() + " died; replacing it in " + REPLACE_DELAY.toMillis() + " ms", failure);
		boolean broken;
		synchronized (this.lifecycleMonitor) {
			this.writers[slot] = null;
			this.alive--;
			this.deaths++;
			this.deathsInARow++;
			broken = this.deathsInARow >= DEATHS_TO_BREAK;
		}
		AvailabilityChangeEvent.publish(this.events, this, ReadinessState.REFUSING_TRAFFIC);
		if (broken) {
			logger.error(this.deathsInARow + " step writers died without a commit between them: liveness is broken");
			AvailabilityChangeEvent.publish(this.events, this, LivenessState.BROKEN);
		}
		this.replacer.execute(() -> replace(slot));
	}

	private void replace(int slot) {
		boolean complete;
		synchronized (this.lifecycleMonitor) {
			if (!this.running || this.writers[slot] != null) {
				return;
			}
			startWriter(slot);
			complete = this.alive == this.writers.length;
		}
		if (complete) {
			AvailabilityChangeEvent.publish(this.events, this, ReadinessState.ACCEPTING_TRAFFIC);
		}
	}

	private void write() {
		List<PendingStep> batch = new ArrayList<>(this.batchSize);
		while (true) {
			PendingStep first;
			try {
				first = this.queue.poll(100, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				first = null;
			}
			if (first == null) {
				if (!this.running && this.queue.isEmpty()) {
					return;
				}
				continue;
			}
			batch.add(first);
			this.queue.drainTo(batch, this.batchSize - 1);
			for (PendingStep step : batch) {
				step.taken();
				this.meters.queueWaited(step.age());
			}
			commit(batch);
			batch.clear();
		}
	}

	private void commitTimed(List<PendingStep> batch) {
		long start = System.nanoTime();
		this.committer.commit(batch);
		this.meters.committed(batch.size(), System.nanoTime() - start);
	}

	private void commit(List<PendingStep> batch) {
		try {
			commitTimed(batch);
		}
		catch (RuntimeException ex) {
			logger.error("Committing a batch of " + batch.size() + " steps failed", ex);
			StepCommitter.fail(batch, ex);
			return;
		}
		catch (Error ex) {
			this.fatal.check(ex, Thread.currentThread().getName());
			// whether the batch committed before the error is unknown: its steps may
			// retry
			StepCommitter.fail(batch, new StepUnconfirmedException(
					"The writer committing this step failed; retry with the same epoch.", ex));
			throw ex;
		}
		if (this.deathsInARow > 0) {
			recovered();
		}
	}

	private void recovered() {
		boolean wasBroken;
		synchronized (this.lifecycleMonitor) {
			wasBroken = this.deathsInARow >= DEATHS_TO_BREAK;
			this.deathsInARow = 0;
		}
		if (wasBroken) {
			AvailabilityChangeEvent.publish(this.events, this, LivenessState.CORRECT);
		}
	}

}
