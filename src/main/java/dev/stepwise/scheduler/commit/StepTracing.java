package dev.stepwise.scheduler.commit;

import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Whether steps are traced: only when Spring Boot's tracing is on
 * ({@code management.tracing.export.enabled=true}) with a real tracer; otherwise a step
 * creates no span at all (whatever tracer the context holds).
 */
@Component
class StepTracing {

	static final StepTracing OFF = new StepTracing((Tracer) null);

	private final @Nullable Tracer tracer;

	@Autowired
	StepTracing(ObjectProvider<Tracer> tracer,
			@Value("${management.tracing.export.enabled:true}") boolean tracingEnabled) {
		this(tracingEnabled ? tracer.getIfAvailable() : null);
	}

	private StepTracing(@Nullable Tracer tracer) {
		this.tracer = (tracer == null || tracer == Tracer.NOOP) ? null : tracer;
	}

	/** The spans of a step requested on this thread, in the trace of its request. */
	StepTrace trace() {
		Tracer current = this.tracer;
		return (current != null) ? new StepTrace(current, current.currentSpan()) : StepTrace.OFF;
	}

}
