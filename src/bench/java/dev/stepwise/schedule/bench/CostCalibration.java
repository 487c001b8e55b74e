package dev.stepwise.schedule.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.stepwise.schedule.ParamGroup;
import dev.stepwise.schedule.Schedule;

/**
 * The calibration of {@link Schedule#cost}: whole previews (parsing, construction,
 * fast-forward and steps, streamed) of the heaviest kinds of work per unit, timed by the
 * computing thread's CPU time rather than wall time: on a shared machine (load far above
 * its cores) JMH's wall-clock averages measure the neighbours. Prints, per case, the cost
 * and the nanoseconds of CPU per work unit over several runs (min, median, max); keep
 * {@link Schedule#MAX_WORK} times the worst well under a second. Run by hand:
 * {@code java -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) dev.stepwise.schedule.bench.CostCalibration [runs]}.
 */
public final class CostCalibration {

	private static final String EXPRESSION = "0.5 * (1 + cos(pi * (epoch % 1000) / 1000)) if epoch > 10 else epoch / 10";

	/** What is computed: spec, param groups, last_epoch, steps. */
	record Work(Map<String, Object> spec, int groups, long lastEpoch, int steps) {
	}

	static final Map<String, Work> CASES = Map.ofEntries(
			// stepped fast-forward of an expression: the heaviest step per unit
			Map.entry("multiplicative-ff-1", new Work(Map.of("type", "MultiplicativeLR", "lr_lambda", EXPRESSION), 1,
					100_000, 0)),
			Map.entry("multiplicative-ff-64",
					new Work(Map.of("type", "MultiplicativeLR", "lr_lambda", EXPRESSION), 64, 10_000, 0)),
			// a jump that evaluates per-group expressions at every epoch for their errors
			Map.entry("lambda-scan-64",
					new Work(Map.of("type", "LambdaLR", "lr_lambda",
							Collections.nCopies(64, "1 / (epoch + 1) + " + EXPRESSION)), 64, 5_000, 0)),
			// steps of the cyclers, which write momentum too
			Map.entry("onecycle-steps-1",
					new Work(Map.of("type", "OneCycleLR", "max_lr", 0.1, "total_steps", 1_000_000L), 1, 0, 100_000)),
			Map.entry("onecycle-steps-1024",
					new Work(Map.of("type", "OneCycleLR", "max_lr", 0.1, "total_steps", 1_000_000L), 1024, 0, 1_952)),
			Map.entry("cyclic-scale-fn-1",
					new Work(Map.of("type", "CyclicLR", "base_lr", 0.01, "max_lr", 0.1, "step_size_up", 1L, "scale_fn",
							"1 / (x + 1)", "scale_mode", "iterations"), 1, 300_000, 0)),
			// composites step every child (stepped fast-forward and preview)
			Map.entry(
					"sequential-ff-1", new Work(Map.of("type", "SequentialLR", "milestones", List.of(50_000L),
							"schedulers", List.of(
									Map.of("type", "ChainedScheduler", "schedulers",
											List.of(Map.of("type", "CosineAnnealingLR", "T_max", 1000L),
													Map.of("type", "ExponentialLR", "gamma", 0.99999))),
									Map.of("type", "LinearLR"))),
							1, 100_000, 0)),
			Map.entry("chained-steps-64",
					new Work(
							Map.of("type", "ChainedScheduler", "schedulers",
									List.of(Map.of("type", "ConstantLR"), Map.of("type", "StepLR", "step_size", 7L),
											Map.of("type", "OneCycleLR", "max_lr", 0.1, "total_steps", 1_000_000L))),
							64, 0, 20_000)),
			// the plain recursion, stepped, and its exact replay of decays
			Map.entry("cosine-steps-1", new Work(Map.of("type", "CosineAnnealingLR", "T_max", 1000L), 1, 0, 100_000)),
			Map.entry("steplr-replay-1024",
					new Work(Map.of("type", "StepLR", "step_size", -1L, "gamma", 0.999), 1024, 10_000, 0)));

	private CostCalibration() {
	}

	public static void main(String[] args) {
		int runs = (args.length > 0) ? Integer.parseInt(args[0]) : 7;
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		for (Map.Entry<String, Work> entry : CASES.entrySet()) {
			Work work = entry.getValue();
			List<ParamGroup> groups = new ArrayList<>();
			for (int i = 0; i < work.groups(); i++) {
				groups.add(new ParamGroup(0.1 / (i + 1), 0.9));
			}
			long cost = Schedule.of(work.spec(), groups).cost(work.lastEpoch(), work.steps());
			double[] nsPerUnit = new double[runs];
			long[] sink = new long[1];
			for (int r = -3; r < runs; r++) {
				long start = threads.getCurrentThreadCpuTime();
				// the whole request, parsing and construction included
				Schedule schedule = Schedule.of(work.spec(), groups);
				schedule.preview(work.lastEpoch(), work.steps(), List.of(), (state) -> sink[0] += state.lastEpoch());
				long cpu = threads.getCurrentThreadCpuTime() - start;
				if (r >= 0) {
					nsPerUnit[r] = (double) cpu / cost;
				}
			}
			Arrays.sort(nsPerUnit);
			System.out.printf("%-22s cost %,12d  ns/unit min %6.2f median %6.2f max %6.2f  (median %,.0f ms)%n",
					entry.getKey(), cost, nsPerUnit[0], nsPerUnit[runs / 2], nsPerUnit[runs - 1],
					nsPerUnit[runs / 2] * cost / 1e6);
		}
	}

}
