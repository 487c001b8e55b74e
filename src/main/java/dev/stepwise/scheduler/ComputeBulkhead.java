package dev.stepwise.scheduler;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.stepwise.system.StepwiseProperties;

import org.springframework.stereotype.Component;

/**
 * Admits computations (previews, registrations and their fast-forwards, restored states)
 * by two bounded resources: cores and memory. Each reserves its {@link MemoryEstimate} in
 * the {@link MemoryBudget} ({@link #hold}); expensive work also takes one of a few
 * compute slots ({@link #slot}), so that it cannot take every core from the steps and
 * reads. A bounded number wait a bounded time for either, and the rest are refused at
 * once ({@link ComputeBusyException}, 503 with {@code Retry-After}); work that could
 * never fit the budget is refused with 422 ({@link ComputeTooLargeException}). Nothing
 * queues without bound.
 * <p>
 * Cheap work takes no slot: an ordinary registration (a few groups, a fast-forward in
 * closed form) costs well under a millisecond, and every job of a cluster registers at
 * once when it starts; queueing those behind a preview of a second would only add that
 * second to their start. What is light is decided by the estimate before the schedule is
 * built ({@link MemoryEstimate#LIGHT_BYTES}) and by its cost once it is
 * ({@link MemoryEstimate#LIGHT_WORK}): a light registration still reserves its memory,
 * one atomic update. Steps are never admitted here: a step's schedule is compiled by the
 * step writers, a fixed few threads, and its state is of a size registration admitted.
 */
@Component
public class ComputeBulkhead {

	private final int concurrency;

	private final Semaphore running;

	private final int maxWaiting;

	private final AtomicInteger waiting = new AtomicInteger();

	private final Duration maxWait;

	private final MemoryBudget memory;

	private final ThreadLocal<Boolean> holdingSlot = ThreadLocal.withInitial(() -> false);

	public ComputeBulkhead(StepwiseProperties properties, MemoryBudget memory) {
		StepwiseProperties.Compute compute = properties.compute();
		// leave a core to the steps and reads where there is more than one
		this.concurrency = (compute.concurrency() > 0) ? compute.concurrency()
				: Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
		this.running = new Semaphore(this.concurrency);
		this.maxWaiting = compute.maxWaiting();
		this.maxWait = compute.maxWait();
		this.memory = memory;
	}

	/** How many computations run at once. */
	public int concurrency() {
		return this.concurrency;
	}

	/** The memory budget the computations share. */
	public MemoryBudget memory() {
		return this.memory;
	}

	/**
	 * Runs expensive work that holds about {@code bytes}: reserves them, then takes a
	 * slot.
	 * @throws ComputeTooLargeException when {@code bytes} exceeds the whole budget
	 * @throws ComputeBusyException as {@link #hold} and {@link #slot}
	 */
	public <T> T call(long bytes, Supplier<T> work) {
		return hold(bytes, () -> slot(work));
	}

	/**
	 * Runs work that holds about {@code bytes} once they are reserved in the budget, and
	 * gives them back after it.
	 * @throws ComputeTooLargeException when {@code bytes} exceeds the whole budget
	 * @throws ComputeBusyException when there is no room, waiting is full or took longer
	 * than {@code stepwise.compute.max-wait}
	 */
	public <T> T hold(long bytes, Supplier<T> work) {
		MemoryBudget.Reservation reservation;
		if (bytes > this.memory.limit()) {
			throw new ComputeTooLargeException(bytes, this.memory.limit());
		}
		try {
			reservation = this.memory.reserve(bytes, Duration.ZERO);
		}
		catch (ComputeBusyException full) {
			reservation = waiting(() -> this.memory.reserve(bytes, this.maxWait));
		}
		try (MemoryBudget.Reservation held = reservation) {
			return work.get();
		}
	}

	/**
	 * Runs the work once a slot is free (at once when this thread holds one already).
	 * @throws ComputeBusyException when every slot is taken and waiting is full or took
	 * longer than {@code stepwise.compute.max-wait}
	 */
	public <T> T slot(Supplier<T> work) {
		if (this.holdingSlot.get()) {
			return work.get();
		}
		acquire();
		this.holdingSlot.set(true);
		try {
			return work.get();
		}
		finally {
			this.holdingSlot.set(false);
			this.running.release();
		}
	}

	/** Runs the work once a slot is free; see {@link #slot}. */
	public <T> T call(Supplier<T> work) {
		return slot(work);
	}

	/** Runs the work once a slot is free; see {@link #slot}. */
	public void run(Runnable work) {
		slot(() -> {
			work.run();
			return null;
		});
	}

	private void acquire() {
		if (this.running.tryAcquire()) {
			return;
		}
		waiting(() -> {
			try {
				if (!this.running.tryAcquire(this.maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
					throw busy();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw busy();
			}
			return null;
		});
	}

	/** Waits as one of at most {@code stepwise.compute.max-waiting}. */
	private <T> T waiting(Supplier<T> wait) {
		if (this.waiting.incrementAndGet() > this.maxWaiting) {
			this.waiting.decrementAndGet();
			throw busy();
		}
		try {
			return wait.get();
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
