package dev.stepwise.scheduler.commit;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

/**
 * The spans of one step request, children of its request's span wherever the step is
 * taken (the writer threads included): {@link #QUEUE}, {@link #LOCK}, {@link #ENGINE} and
 * {@link #COMMIT}. {@link #OFF} when tracing is off: then nothing is created.
 */
final class StepTrace {

	/** Waiting for a writer to take the step. */
	static final String QUEUE = "stepwise.step.queue";

	/** Locking the scheduler's row (the first step of a scheduler in its batch). */
	static final String LOCK = "stepwise.step.lock";

	/** Computing the next state (the schedule's step function). */
	static final String ENGINE = "stepwise.step.engine";

	/** Writing the batch's rows and committing its transaction. */
	static final String COMMIT = "stepwise.step.commit";

	static final StepTrace OFF = new StepTrace(null, null);

	private final @Nullable Tracer tracer;

	private final @Nullable Span parent;

	StepTrace(@Nullable Tracer tracer, @Nullable Span parent) {
		this.tracer = tracer;
		this.parent = parent;
	}

	/** Starts a span of this step, or returns {@code null} when tracing is off. */
	@Nullable Span start(String name) {
		return (this.tracer != null) ? this.tracer.nextSpan(this.parent).name(name).start() : null;
	}

	/** Ends a span {@link #start} returned. */
	static void end(@Nullable Span span) {
		if (span != null) {
			span.end();
		}
	}

}
