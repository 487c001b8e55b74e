package dev.stepwise.system;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Every meter of Stepwise, named once here and built at startup, so that a request only
 * increments or records (no lookup by name and tags). No meter is tagged with a scheduler
 * id: the tags take a few fixed values (an outcome, a scheduler type of the engine's
 * catalogue).
 */
@Component
public class StepwiseMeters {

	/** Steps answered, tagged {@code outcome} ({@link StepOutcome}). */
	public static final String STEPS = "stepwise.steps";

	/** A step from its hand-over to the step queue to its answer. */
	public static final String STEP_LATENCY = "stepwise.steps.latency";

	/** How long a queued step waited for a writer to take it. */
	public static final String STEP_QUEUE_WAIT = "stepwise.steps.queue.wait";

	/** One batch's transaction, from its first statement to the end of its commit. */
	public static final String STEP_COMMIT = "stepwise.steps.commit";

	/** Steps per committed batch (group commit). */
	public static final String STEP_BATCH_SIZE = "stepwise.steps.batch.size";

	/** Steps waiting for a writer now. */
	public static final String STEP_QUEUE_DEPTH = "stepwise.steps.queue.depth";

	/**
	 * Registrations answered, tagged {@code type} (the scheduler type) and
	 * {@code created}.
	 */
	public static final String REGISTRATIONS = "stepwise.registrations";

	/** Resumes from a checkpoint answered. */
	public static final String RESUMES = "stepwise.resumes";

	/** State documents put back ({@code PUT .../state}) answered. */
	public static final String STATE_PUTS = "stepwise.state.puts";

	/** Previews computed, with the time each took. */
	public static final String PREVIEWS = "stepwise.previews";

	/** Values (states x param groups) per preview. */
	public static final String PREVIEW_VALUES = "stepwise.previews.values";

	/**
	 * {@code GET .../lr} answered, tagged {@code result}: {@code ok} or
	 * {@code not_modified}.
	 */
	public static final String LR_READS = "stepwise.lr.reads";

	/**
	 * Schedulers registered in the database (all replicas'), counted every little while.
	 */
	public static final String SCHEDULERS_REGISTERED = "stepwise.schedulers.registered";

	/** The buckets of the latency histograms: few and fixed, from 1 ms to 10 s. */
	static final Duration[] LATENCY_BUCKETS = { Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
			Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100),
			Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
			Duration.ofSeconds(5), Duration.ofSeconds(10) };

	/** The buckets of the batch sizes. */
	static final double[] BATCH_BUCKETS = { 1, 2, 4, 8, 16, 32, 64, 128 };

	/** What a step request came to. */
	public enum StepOutcome {

		/** A new step, committed. */
		APPLIED,
		/** An epoch stepped before, answered from the history. */
		REPLAYED,
		/** A gap, a different metric, an epoch no longer recorded, a stale attempt. */
		CONFLICT,
		/** A step PyTorch would refuse (409 step-refused, 422). */
		REFUSED,
		/** Anything else: unknown scheduler, storage failure, commit timeout. */
		FAILED;

		String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private final MeterRegistry registry;

	private final Map<StepOutcome, Counter> steps = new EnumMap<>(StepOutcome.class);

	private final Map<String, Counter> registrations = new ConcurrentHashMap<>();

	private final Timer stepLatency;

	private final Timer queueWait;

	private final Timer commit;

	private final DistributionSummary batchSize;

	private final Counter resumes;

	private final Counter statePuts;

	private final Timer previews;

	private final DistributionSummary previewValues;

	private final Counter lrRead;

	private final Counter lrNotModified;

	public StepwiseMeters(MeterRegistry registry) {
		this.registry = registry;
		for (StepOutcome outcome : StepOutcome.values()) {
			this.steps.put(outcome,
					Counter.builder(STEPS)
						.description("Step requests answered, by outcome")
						.tag("outcome", outcome.tag())
						.register(registry));
		}
		this.stepLatency = latency(STEP_LATENCY, "Steps from their hand-over to the step queue to their answer");
		this.queueWait = latency(STEP_QUEUE_WAIT, "Wait of a queued step for a writer");
		this.commit = latency(STEP_COMMIT, "Transaction of one batch of steps, commit included");
		this.batchSize = DistributionSummary.builder(STEP_BATCH_SIZE)
			.description("Steps per committed batch")
			.serviceLevelObjectives(BATCH_BUCKETS)
			.register(registry);
		this.resumes = Counter.builder(RESUMES).description("Resumes from a checkpoint").register(registry);
		this.statePuts = Counter.builder(STATE_PUTS).description("State documents put back").register(registry);
		this.previews = latency(PREVIEWS, "Previews computed");
		this.previewValues = DistributionSummary.builder(PREVIEW_VALUES)
			.description("Values (states x param groups) computed per preview")
			.serviceLevelObjectives(10, 100, 1_000, 10_000, 100_000, 1_000_000)
			.register(registry);
		this.lrRead = lrReads("ok");
		this.lrNotModified = lrReads("not_modified");
	}

	/** Meters nobody reads, for tests that build the components by hand. */
	public static StepwiseMeters unread() {
		return new StepwiseMeters(new SimpleMeterRegistry());
	}

	private Timer latency(String name, String description) {
		return Timer.builder(name)
			.description(description)
			.serviceLevelObjectives(LATENCY_BUCKETS)
			.register(this.registry);
	}

	private Counter lrReads(String result) {
		return Counter.builder(LR_READS)
			.description("Reads of the current lr, 304s apart")
			.tag("result", result)
			.register(this.registry);
	}

	/** A step request answered after {@code nanos}. */
	public void stepped(StepOutcome outcome, long nanos) {
		this.steps.get(outcome).increment();
		this.stepLatency.record(nanos, TimeUnit.NANOSECONDS);
	}

	/** A queued step taken by a writer after waiting {@code nanos}. */
	public void queueWaited(long nanos) {
		this.queueWait.record(nanos, TimeUnit.NANOSECONDS);
	}

	/** A batch of {@code size} steps whose transaction took {@code nanos}. */
	public void committed(int size, long nanos) {
		this.batchSize.record(size);
		this.commit.record(nanos, TimeUnit.NANOSECONDS);
	}

	/** Reports {@code depth} as the number of steps waiting for a writer. */
	public void watchQueueDepth(Supplier<Number> depth) {
		Gauge.builder(STEP_QUEUE_DEPTH, depth)
			.description("Steps waiting for a writer")
			.strongReference(true)
			.register(this.registry);
	}

	/** Reports {@code count} as the number of registered schedulers. */
	public void watchRegisteredSchedulers(Supplier<Number> count) {
		Gauge.builder(SCHEDULERS_REGISTERED, count)
			.description("Schedulers registered in the database (every replica reports the same count)")
			.strongReference(true)
			.register(this.registry);
	}

	/**
	 * A registration answered; {@code type} is a type of the engine's catalogue (the spec
	 * was valid), so the tag's values are bounded.
	 */
	public void registered(String type, boolean created) {
		this.registrations
			.computeIfAbsent(type + (created ? "/created" : "/existing"),
					(key) -> Counter.builder(REGISTRATIONS)
						.description("Registrations answered, by scheduler type")
						.tag("type", type)
						.tag("created", Boolean.toString(created))
						.register(this.registry))
			.increment();
	}

	public void resumed() {
		this.resumes.increment();
	}

	public void statePut() {
		this.statePuts.increment();
	}

	/**
	 * A preview of {@code values} values (states x param groups) computed in
	 * {@code nanos}.
	 */
	public void previewed(long values, long nanos) {
		this.previews.record(nanos, TimeUnit.NANOSECONDS);
		this.previewValues.record(values);
	}

	/** A read of the current lr, answered 304 when {@code notModified}. */
	public void lrRead(boolean notModified) {
		(notModified ? this.lrNotModified : this.lrRead).increment();
	}

}
