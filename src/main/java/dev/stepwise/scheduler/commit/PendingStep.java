package dev.stepwise.scheduler.commit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.stepwise.scheduler.StepCommand;
import dev.stepwise.scheduler.StepResult;
import org.jspecify.annotations.Nullable;

/**
 * A step request waiting for its batch to commit. The request's thread waits in
 * {@link #result()}; a writer settles it once the batch's transaction has committed (or
 * failed).
 */
final class PendingStep {

	private final String schedulerId;

	private final StepCommand command;

	private final CompletableFuture<StepResult> outcome = new CompletableFuture<>();

	PendingStep(String schedulerId, StepCommand command) {
		this.schedulerId = schedulerId;
		this.command = command;
	}

	String schedulerId() {
		return this.schedulerId;
	}

	StepCommand command() {
		return this.command;
	}

	/** Answers the request: its result, or the exception its step ended with. */
	void settle(Outcome outcome) {
		if (outcome.failure() != null) {
			fail(outcome.failure());
		}
		else {
			this.outcome.complete(outcome.result());
		}
	}

	/** Fails the request (unless it was answered already). */
	void fail(Throwable failure) {
		this.outcome.completeExceptionally(failure);
	}

	boolean isSettled() {
		return this.outcome.isDone();
	}

	/**
	 * Waits for the step to be committed.
	 * @return the step's result
	 * @throws RuntimeException the exception the step ended with
	 */
	StepResult result() {
		try {
			return this.outcome.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	/**
	 * What a step of a batch came to, known before the batch commits.
	 *
	 * @param result the step's result, or {@code null} when it failed
	 * @param failure why it failed, or {@code null}
	 */
	record Outcome(@Nullable StepResult result, @Nullable RuntimeException failure) {

		static Outcome of(StepResult result) {
			return new Outcome(result, null);
		}

		static Outcome failed(RuntimeException failure) {
			return new Outcome(null, failure);
		}

	}

}
