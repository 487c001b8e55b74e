package dev.stepwise.scheduler.commit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.stepwise.scheduler.StepCommand;
import dev.stepwise.scheduler.StepResult;
import dev.stepwise.system.StepwiseProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Group commit of steps. Request threads queue their steps and wait; writer threads take
 * whatever has queued up (at most {@code stepwise.steps.batch-size} steps) and commit it
 * in one transaction. A commit that makes a step durable costs about the same for one
 * step as for thirty (H2 rewrites the B-tree pages the commit touched, PostgreSQL flushes
 * its WAL), so under load many steps share it; alone, a step is committed at once. Stops
 * after the web server, once the queue is empty; a step that arrives while the writers
 * are stopped is committed by its own thread.
 */
@Component
public class StepWriter implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(StepWriter.class);

	private final BlockingQueue<PendingStep> queue = new LinkedBlockingQueue<>();

	private final Object lifecycleMonitor = new Object();

	private final List<Thread> writers = new ArrayList<>();

	private final StepCommitter committer;

	private final int batchSize;

	private final int writerCount;

	private volatile boolean running;

	StepWriter(StepCommitter committer, StepwiseProperties properties) {
		this.committer = committer;
		this.batchSize = properties.steps().batchSize();
		this.writerCount = properties.steps().writers();
		if (this.batchSize < 1 || this.writerCount < 1) {
			throw new IllegalArgumentException(
					"stepwise.steps.batch-size and stepwise.steps.writers must be at least 1," + " not "
							+ this.batchSize + " and " + this.writerCount);
		}
	}

	/** Takes a step and returns once it is committed (or throws why it was not taken). */
	public StepResult step(String id, StepCommand command) {
		PendingStep step = new PendingStep(id, command);
		boolean queued;
		synchronized (this.lifecycleMonitor) {
			queued = this.running && this.queue.offer(step);
		}
		if (!queued) {
			this.committer.commit(List.of(step));
		}
		return step.result();
	}

	/** How many steps wait for a writer. */
	int queued() {
		return this.queue.size();
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			this.running = true;
			for (int i = 1; i <= this.writerCount; i++) {
				Thread writer = new Thread(this::write, "step-writer-" + i);
				writer.setDaemon(true);
				writer.start();
				this.writers.add(writer);
			}
		}
		logger.info("Committing steps in batches of up to " + this.batchSize + " with " + this.writerCount
				+ " writer thread(s)");
	}

	@Override
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			this.running = false;
		}
		for (Thread writer : this.writers) {
			try {
				writer.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		this.writers.clear();
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
			try {
				this.committer.commit(batch);
			}
			catch (RuntimeException | Error ex) {
				logger.error("Committing a batch of " + batch.size() + " steps failed", ex);
				StepCommitter.fail(batch, ex);
			}
			batch.clear();
		}
	}

}
