package dev.stepwise.scheduler;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.stepwise.system.StepwiseProperties;

import org.springframework.stereotype.Component;

/**
 * Admits expensive computations (previews, fast-forwards) a few at a time, so that they
 * cannot take every core from the steps and reads: a bounded number run, a bounded number
 * wait a bounded time, and the rest are refused at once ({@link ComputeBusyException},
 * 503 with {@code Retry-After}). Nothing queues without bound.
 */
@Component
public class ComputeBulkhead {

	private final int concurrency;

	private final Semaphore running;

	private final int maxWaiting;

	private final AtomicInteger waiting = new AtomicInteger();

	private final Duration maxWait;

	public ComputeBulkhead(StepwiseProperties properties) {
		StepwiseProperties.Compute compute = properties.compute();
		// leave a core to the steps and reads where there is more than one
		this.concurrency = (compute.concurrency() > 0) ? compute.concurrency()
				: Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
		this.running = new Semaphore(this.concurrency);
		this.maxWaiting = compute.maxWaiting();
		this.maxWait = compute.maxWait();
	}

	/** How many computations run at once. */
	public int concurrency() {
		return this.concurrency;
	}

	/**
	 * Runs the work once a slot is free.
	 * @throws ComputeBusyException when every slot is taken and waiting is full or took
	 * longer than {@code stepwise.compute.max-wait}
	 */
	public <T> T call(Supplier<T> work) {
		acquire();
		try {
			return work.get();
		}
		finally {
			this.running.release();
		}
	}

	/** Runs the work once a slot is free; see {@link #call}. */
	public void run(Runnable work) {
		call(() -> {
			work.run();
			return null;
		});
	}

	private void acquire() {
		if (this.running.tryAcquire()) {
			return;
		}
		if (this.waiting.incrementAndGet() > this.maxWaiting) {
			this.waiting.decrementAndGet();
			throw busy();
		}
		try {
			if (!this.running.tryAcquire(this.maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
				throw busy();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw busy();
		}
		finally {
			this.waiting.decrementAndGet();
		}
	}

	private ComputeBusyException busy() {
		return new ComputeBusyException("All " + this.concurrency + " computation slots are busy and " + this.maxWaiting
				+ " requests already wait for one; retry shortly.", this.maxWait);
	}

}
