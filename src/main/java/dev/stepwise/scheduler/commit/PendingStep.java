package dev.stepwise.scheduler.commit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.stepwise.scheduler.StepCommand;
import dev.stepwise.scheduler.StepResult;
import dev.stepwise.scheduler.StepUnconfirmedException;
import io.micrometer.tracing.Span;
import org.jspecify.annotations.Nullable;

/**
 * A step request waiting for its batch to commit. The request's thread waits in
 * {@link #result(Duration)}; a writer settles it once the batch's transaction has
 * committed (or failed).
 */
final class PendingStep {

	private final String schedulerId;

	private final StepCommand command;

	private final CompletableFuture<StepResult> outcome = new CompletableFuture<>();

	private final StepTrace trace;

	/** When the request arrived ({@link System#nanoTime()}). */
	private final long arrived = System.nanoTime();

	private @Nullable Span queueSpan;

	private @Nullable Span commitSpan;

	PendingStep(String schedulerId, StepCommand command) {
		this(schedulerId, command, StepTrace.OFF);
	}

	PendingStep(String schedulerId, StepCommand command, StepTrace trace) {
		this.schedulerId = schedulerId;
		this.command = command;
		this.trace = trace;
	}

	StepTrace trace() {
		return this.trace;
	}

	/** Nanoseconds since the request arrived. */
	long age() {
		return System.nanoTime() - this.arrived;
	}

	/** The step waits for a writer from now. */
	void queued() {
		this.queueSpan = this.trace.start(StepTrace.QUEUE);
	}

	/** A writer took the step. */
	void taken() {
		StepTrace.end(this.queueSpan);
	}

	/** The batch's rows are written and its transaction committed from now. */
	void committing() {
		this.commitSpan = this.trace.start(StepTrace.COMMIT);
	}

	/** The batch's transaction ended (committed or not). */
	void transactionEnded() {
		StepTrace.end(this.commitSpan);
		this.commitSpan = null;
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
	 * Waits for the step to be committed, at most {@code timeout}.
	 * @return the step's result
	 * @throws StepUnconfirmedException when the commit did not end in time (it may still
	 * be committed)
	 * @throws RuntimeException the exception the step ended with
	 */
	StepResult result(Duration timeout) {
		try {
			return this.outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new StepUnconfirmedException("The step was not committed within " + timeout.toMillis()
					+ " ms; it may still be. Retry with the same epoch: a committed step is answered as a replay.", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StepUnconfirmedException("Interrupted while the step was committed.", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(ex.getCause());
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
