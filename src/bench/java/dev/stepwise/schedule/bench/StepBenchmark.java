package dev.stepwise.schedule.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import dev.stepwise.schedule.ParamGroup;
import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleState;

/**
 * Nanoseconds per {@code step()} for every scheduler type, from a state in mid-schedule
 * (steps are pure functions, so the same state is stepped again each time). Run by hand,
 * never in CI: {@code bench/engine.sh} (see the README).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class StepBenchmark {

	/** A representative spec of every type, with the epoch to measure from. */
	static final Map<String, Map<String, Object>> SPECS = Map.ofEntries(
			Map.entry("LambdaLR", Map.of("type", "LambdaLR", "lr_lambda", "0.95 ** epoch")),
			Map.entry("MultiplicativeLR", Map.of("type", "MultiplicativeLR", "lr_lambda", "0.95")),
			Map.entry("StepLR", Map.of("type", "StepLR", "step_size", 30L)),
			Map.entry("MultiStepLR", Map.of("type", "MultiStepLR", "milestones", List.of(30L, 80L, 120L))),
			Map.entry("ConstantLR", Map.of("type", "ConstantLR")),
			Map.entry("LinearLR", Map.of("type", "LinearLR", "total_iters", 1000L)),
			Map.entry("ExponentialLR", Map.of("type", "ExponentialLR", "gamma", 0.99)),
			Map.entry("PolynomialLR", Map.of("type", "PolynomialLR", "total_iters", 1000L, "power", 0.9)),
			Map.entry("CosineAnnealingLR", Map.of("type", "CosineAnnealingLR", "T_max", 1000L)),
			Map.entry("CosineAnnealingWarmRestarts",
					Map.of("type", "CosineAnnealingWarmRestarts", "T_0", 100L, "T_mult", 2L)),
			Map.entry("CyclicLR", Map.of("type", "CyclicLR", "base_lr", 0.01, "max_lr", 0.1)),
			Map.entry("OneCycleLR", Map.of("type", "OneCycleLR", "max_lr", 0.1, "total_steps", 100000L)),
			Map.entry("ReduceLROnPlateau", Map.of("type", "ReduceLROnPlateau")),
			Map.entry("SequentialLR",
					Map.of("type", "SequentialLR", "milestones", List.of(5L), "schedulers",
							List.of(Map.of("type", "LinearLR"), Map.of("type", "CosineAnnealingLR", "T_max", 1000L)))),
			Map.entry("ChainedScheduler",
					Map.of("type", "ChainedScheduler", "schedulers",
							List.of(Map.of("type", "ConstantLR"), Map.of("type", "ExponentialLR", "gamma", 0.99)))),
			Map.entry("constant", Map.of("type", "constant")),
			Map.entry("constant_with_warmup", Map.of("type", "constant_with_warmup", "num_warmup_steps", 100L)),
			Map.entry("linear", Map.of("type", "linear", "num_warmup_steps", 100L, "num_training_steps", 10000L)),
			Map.entry("cosine", Map.of("type", "cosine", "num_warmup_steps", 100L, "num_training_steps", 10000L)),
			Map.entry("cosine_with_restarts",
					Map.of("type", "cosine_with_restarts", "num_warmup_steps", 100L, "num_training_steps", 10000L)),
			Map.entry("polynomial",
					Map.of("type", "polynomial", "num_warmup_steps", 100L, "num_training_steps", 10000L)),
			Map.entry("inverse_sqrt", Map.of("type", "inverse_sqrt", "num_warmup_steps", 100L)),
			Map.entry("reduce_lr_on_plateau", Map.of("type", "reduce_lr_on_plateau")),
			Map.entry("cosine_with_min_lr",
					Map.of("type", "cosine_with_min_lr", "num_warmup_steps", 100L, "num_training_steps", 10000L,
							"min_lr_rate", 0.1)),
			Map.entry("cosine_warmup_with_min_lr",
					Map.of("type", "cosine_warmup_with_min_lr", "num_warmup_steps", 100L, "num_training_steps", 10000L,
							"min_lr_rate", 0.1)),
			Map.entry("warmup_stable_decay", Map.of("type", "warmup_stable_decay", "num_warmup_steps", 100L,
					"num_decay_steps", 1000L, "num_training_steps", 10000L)));

	@Param({ "LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR",
			"PolynomialLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR",
			"ReduceLROnPlateau", "SequentialLR", "ChainedScheduler", "constant", "constant_with_warmup", "linear",
			"cosine", "cosine_with_restarts", "polynomial", "inverse_sqrt", "reduce_lr_on_plateau",
			"cosine_with_min_lr", "cosine_warmup_with_min_lr", "warmup_stable_decay" })
	public String type;

	@Param({ "1", "8" })
	public int groups;

	private Schedule schedule;

	private ScheduleState state;

	private Double metric;

	@Setup
	public void setUp() {
		List<ParamGroup> paramGroups = new ArrayList<>();
		for (int i = 0; i < this.groups; i++) {
			paramGroups.add(new ParamGroup(0.1 / (i + 1), 0.9));
		}
		this.schedule = Schedule.of(SPECS.get(this.type), paramGroups);
		this.metric = 0.5;
		ScheduleState current = this.schedule.start(0);
		for (int i = 0; i < 500; i++) {
			current = this.schedule.step(current, 1.0 / (i + 1));
		}
		this.state = current;
	}

	@Benchmark
	public void step(Blackhole blackhole) {
		blackhole.consume(this.schedule.step(this.state, this.metric));
	}

}
