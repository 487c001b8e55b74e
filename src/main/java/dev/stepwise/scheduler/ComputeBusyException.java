package dev.stepwise.scheduler;

import java.time.Duration;

/**
 * Thrown when the {@link ComputeBulkhead} has no room for more work (HTTP 503 with
 * {@code Retry-After}).
 */
public class ComputeBusyException extends RuntimeException {

	private final Duration retryAfter;

	public ComputeBusyException(String message, Duration retryAfter) {
		super(message);
		this.retryAfter = retryAfter;
	}

	/** When a retry has a fair chance. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

}
