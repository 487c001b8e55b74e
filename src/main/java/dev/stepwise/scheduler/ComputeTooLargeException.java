package dev.stepwise.scheduler;

/**
 * Thrown when a request's memory estimate exceeds the whole {@link MemoryBudget}: it
 * could never be admitted, so it is refused (HTTP 422) rather than told to retry.
 */
public class ComputeTooLargeException extends RuntimeException {

	private final long estimate;

	private final long limit;

	public ComputeTooLargeException(long estimate, long limit) {
		super("This request would hold an estimated " + estimate + " bytes of memory while it is computed, more than"
				+ " the limit of " + limit + " bytes (stepwise.compute.memory-budget); send fewer param groups, fewer"
				+ " or shorter expressions, fewer steps, or a smaller body.");
		this.estimate = estimate;
		this.limit = limit;
	}

	/** The request's estimate, in bytes. */
	public long estimate() {
		return this.estimate;
	}

	/** The budget, in bytes. */
	public long limit() {
		return this.limit;
	}

}
