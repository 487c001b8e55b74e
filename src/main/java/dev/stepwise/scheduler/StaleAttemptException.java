package dev.stepwise.scheduler;

import org.jspecify.annotations.Nullable;

/**
 * A request of a training attempt that is not the scheduler's current one: superseded by
 * a registration with a later attempt (a zombie rank of a restarted job), or never
 * registered. It may not move the schedule.
 */
public class StaleAttemptException extends RuntimeException {

	private final String attempt;

	private final @Nullable String currentAttempt;

	public StaleAttemptException(String attempt, @Nullable String currentAttempt) {
		super("Attempt '" + attempt + "' is not the current attempt of this scheduler ("
				+ ((currentAttempt != null) ? "'" + currentAttempt + "'" : "none registered")
				+ "): it was superseded by a registration with a later attempt, or never registered. Only the current"
				+ " attempt may step, resume or restore the schedule; a new attempt registers first.");
		this.attempt = attempt;
		this.currentAttempt = currentAttempt;
	}

	/** The attempt of the refused request. */
	public String attempt() {
		return this.attempt;
	}

	/** The scheduler's current attempt, or {@code null} when it has none. */
	public @Nullable String currentAttempt() {
		return this.currentAttempt;
	}

	/**
	 * Refuses a request of {@code attempt} unless it is {@code current}; a request
	 * without an attempt is not checked.
	 */
	public static void check(@Nullable String attempt, @Nullable String current) {
		if (attempt != null && !attempt.equals(current)) {
			throw new StaleAttemptException(attempt, current);
		}
	}

}
