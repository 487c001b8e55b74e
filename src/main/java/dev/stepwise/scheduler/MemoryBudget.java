package dev.stepwise.scheduler;

import java.time.Duration;

import dev.stepwise.system.StepwiseProperties;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The heap that requests in progress may hold at once, shared by every request that
 * builds, computes or parses something large: each reserves its {@link MemoryEstimate}
 * first and gives it back when it is done. What does not fit waits a bounded time or is
 * refused with 503 ({@link ComputeBusyException}); what could never fit is refused with
 * 422 ({@link ComputeTooLargeException}). An estimate is of what the request keeps
 * reachable at its peak; the garbage it makes on the way dies young and costs
 * collections, not room.
 * <p>
 * By default a quarter of the maximum heap ({@code stepwise.compute.memory-budget}). The
 * rest holds what the service keeps anyway: 40 MB live after a full collection with the
 * image's flags and 1,000 schedulers registered and read (Spring, Hibernate, H2, Tomcat;
 * {@code jcmd GC.heap_info}, 2026-11-26), the compiled schedules and parsed states it
 * caches (an eighth and a sixteenth of the heap, {@code SchedulerCache}), and the young
 * garbage of the requests being computed (a maximal LambdaLR registration allocates about
 * 45 MB in the engine, 100 MB in all). At the image's 224 MB that is 56 MB: a maximal
 * LambdaLR registration (about 18 MB estimated) three at a time; at 96 MB it is 24 MB,
 * one at a time.
 */
@Component
public class MemoryBudget {

	/** The share of the maximum heap the default budget takes. */
	static final int HEAP_SHARE_DIVISOR = 4;

	private final long limit;

	private long reserved;

	@Autowired
	MemoryBudget(StepwiseProperties properties) {
		this(budget(properties.compute().memoryBudget().toBytes(), Runtime.getRuntime().maxMemory()));
	}

	/** A budget of {@code limit} bytes. */
	public MemoryBudget(long limit) {
		if (limit <= 0) {
			throw new IllegalArgumentException("The memory budget must be positive, got " + limit);
		}
		this.limit = limit;
	}

	/** The configured budget, or a quarter of {@code maxHeap} when it is 0. */
	static long budget(long configured, long maxHeap) {
		return (configured > 0) ? configured : Math.max(1, maxHeap / HEAP_SHARE_DIVISOR);
	}

	/** The budget, in bytes. */
	public long limit() {
		return this.limit;
	}

	/** The bytes reserved now. */
	public synchronized long reserved() {
		return this.reserved;
	}

	/**
	 * Reserves {@code bytes}, waiting up to {@code maxWait} for room.
	 * @throws ComputeTooLargeException when {@code bytes} exceeds the whole budget
	 * @throws ComputeBusyException when there is no room after {@code maxWait}
	 */
	public Reservation reserve(long bytes, Duration maxWait) {
		requireWithinLimit(bytes);
		long deadline = System.nanoTime() + maxWait.toNanos();
		synchronized (this) {
			while (this.reserved + bytes > this.limit) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw busy(bytes, maxWait);
				}
				try {
					this.wait(Math.max(1, left / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw busy(bytes, maxWait);
				}
			}
			this.reserved += bytes;
		}
		return new Reservation(bytes);
	}

	private void requireWithinLimit(long bytes) {
		if (bytes > this.limit) {
			throw new ComputeTooLargeException(bytes, this.limit);
		}
	}

	private synchronized boolean tryAdd(long bytes) {
		if (this.reserved + bytes > this.limit) {
			return false;
		}
		this.reserved += bytes;
		return true;
	}

	private synchronized void release(long bytes) {
		this.reserved -= bytes;
		this.notifyAll();
	}

	private ComputeBusyException busy(long bytes, Duration retryAfter) {
		return new ComputeBusyException(
				"The memory of the requests in progress leaves no room for this one (an estimated " + bytes
						+ " bytes of " + this.limit + "); retry shortly.",
				retryAfter);
	}

	/**
	 * Bytes reserved from the budget until {@link #close}.
	 */
	public final class Reservation implements AutoCloseable {

		private long bytes;

		private Reservation(long bytes) {
			this.bytes = bytes;
		}

		/** The bytes held. */
		public synchronized long bytes() {
			return this.bytes;
		}

		/**
		 * Grows the reservation to {@code total} bytes at once, without waiting.
		 * @throws ComputeTooLargeException when {@code total} exceeds the whole budget
		 * @throws ComputeBusyException when there is no room now
		 */
		public synchronized void growTo(long total) {
			if (total <= this.bytes) {
				return;
			}
			requireWithinLimit(total);
			if (!tryAdd(total - this.bytes)) {
				throw busy(total, Duration.ofSeconds(1));
			}
			this.bytes = total;
		}

		/** Gives the bytes back; once. */
		@Override
		public synchronized void close() {
			if (this.bytes > 0) {
				release(this.bytes);
				this.bytes = 0;
			}
		}

	}

}
