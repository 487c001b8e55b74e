package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Fast-forward ({@code last_epoch} at registration) against stepping: bit-identical where
 * the type jumps exactly, the same error where stepping raises, and within the parity
 * tolerance where PyTorch's closed form stands in for more than
 * {@link Chainable#EXACT_STEPS} steps of the recursion. Random specs, fixed seeds.
 */
class FastForwardTest {

	private static final int CASES = 150;

	/**
	 * The state document after {@code n} steps, or the registration error stepping gives.
	 */
	private static Object stepped(Schedule schedule, long n) {
		ScheduleState state = schedule.start(0);
		try {
			for (long i = 0; i < n; i++) {
				state = schedule.step(state, null);
			}
			double[] lr = state.groups().lr();
			for (int i = 0; i < lr.length; i++) {
				if (!Double.isFinite(lr[i])) {
					// a registration must start from finite lrs, whatever the jump
					return "last_epoch: gives param_groups[" + i + "].lr = " + lr[i] + " at epoch " + n
							+ "; a registered lr must be finite (PyTorch would take it)";
				}
			}
			return schedule.stateDict(state);
		}
		catch (StepException ex) {
			return "last_epoch: PyTorch raises before epoch " + n + ": " + ex.getMessage();
		}
	}

	/** The same by {@link Schedule#start}, which jumps where it can. */
	private static Object jumped(Schedule schedule, long n) {
		try {
			return schedule.stateDict(schedule.start(n));
		}
		catch (InvalidScheduleException ex) {
			return ex.getMessage();
		}
	}

	private static List<ParamGroup> groups(Random random) {
		int size = 1 + random.nextInt(3);
		List<ParamGroup> groups = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			groups.add(new ParamGroup(pick(random, 1.0, 0.1, 0.0, random.nextDouble()), 0.9));
		}
		return groups;
	}

	@SafeVarargs
	private static <T> T pick(Random random, T... values) {
		return values[random.nextInt(values.length)];
	}

	private static Map<String, Object> spec(String type, Object... keyValues) {
		Map<String, Object> spec = new LinkedHashMap<>();
		spec.put("type", type);
		for (int i = 0; i < keyValues.length; i += 2) {
			spec.put((String) keyValues[i], keyValues[i + 1]);
		}
		return spec;
	}

	/**
	 * For random specs and fast-forwards, the jump gives exactly what stepping gives
	 * (state document or error); specs that PyTorch refuses to build are skipped.
	 */
	private static int assertJumpsExactly(long seed, Function<Random, Map<String, Object>> specs, long maxEpoch) {
		return assertJumpsExactly(seed, specs, maxEpoch, CASES);
	}

	private static int assertJumpsExactly(long seed, Function<Random, Map<String, Object>> specs, long maxEpoch,
			int cases) {
		Random random = new Random(seed);
		int built = 0;
		for (int c = 0; c < cases; c++) {
			Map<String, Object> spec = specs.apply(random);
			List<ParamGroup> groups = groups(random);
			Schedule schedule;
			try {
				schedule = Schedule.of(spec, groups);
			}
			catch (InvalidScheduleException ex) {
				continue;
			}
			built++;
			long n = 1 + (long) (random.nextDouble() * random.nextDouble() * maxEpoch);
			assertThat(jumped(schedule, n)).as("%s on %s at %d", spec, groups, n).isEqualTo(stepped(schedule, n));
		}
		return built;
	}

	@Nested
	class Exact {

		@Test
		void lambdaLrExpressionsEvenWhereTheyRaise() {
			int built = assertJumpsExactly(1, (random) -> {
				int k = random.nextInt(300);
				String one = pick(random, "0.95 ** epoch", "1 / (epoch - " + k + ")", "epoch % 7 / 3",
						"10.0 ** (epoch - " + k + ")", "2", "1 if epoch < " + k + " else log(" + k + " - epoch + 1)",
						"sqrt(" + k + " - epoch) / 10");
				Object lambdas = random.nextBoolean() ? one
						: List.of(one, pick(random, "1 / (epoch - " + (k / 2) + ")", "0.5", "epoch"), "0.1");
				return spec("LambdaLR", "lr_lambda", lambdas);
			}, 600);
			assertThat(built).isGreaterThan(CASES / 2);
		}

		@Test
		void huggingFaceSchedules() {
			assertJumpsExactly(2, (random) -> {
				String name = pick(random, "constant", "constant_with_warmup", "linear", "cosine",
						"cosine_with_restarts", "polynomial", "inverse_sqrt", "cosine_with_min_lr",
						"cosine_warmup_with_min_lr", "warmup_stable_decay");
				long warmup = random.nextInt(40) - 5;
				long total = warmup + random.nextInt(100) - 10;
				Map<String, Object> spec = spec(name, "num_warmup_steps", warmup);
				if (!name.startsWith("constant") && !name.equals("inverse_sqrt")) {
					spec.put("num_training_steps", total);
				}
				if (name.contains("min_lr")) {
					spec.put("min_lr_rate", 0.1);
				}
				if (name.equals("warmup_stable_decay")) {
					spec.put("num_decay_steps", (long) random.nextInt(50));
				}
				if (name.equals("polynomial")) {
					spec.put("power", pick(random, 1.0, 0.5, 2.0));
				}
				return spec;
			}, 400);
		}

		@Test
		void oneCycleLrPhasesAndItsEnd() {
			assertJumpsExactly(3,
					(random) -> spec("OneCycleLR", "max_lr", pick(random, 1.0, 0.1), "total_steps",
							1L + random.nextInt(200), "pct_start", pick(random, 0.0, 0.3, 0.5, 1.0, 0.01),
							"anneal_strategy", pick(random, "cos", "linear"), "three_phase", random.nextBoolean(),
							"cycle_momentum", random.nextBoolean()),
					260);
		}

		@Test
		void cyclicLrModesAndScaleFunctions() {
			assertJumpsExactly(4, (random) -> {
				Map<String, Object> spec = spec("CyclicLR", "base_lr", 0.01, "max_lr", 0.1, "step_size_up",
						(long) random.nextInt(20) - 3, "step_size_down", (long) random.nextInt(20) - 3, "mode",
						pick(random, "triangular", "triangular2", "exp_range"), "gamma", pick(random, 0.99, 1.5, 1.0));
				if (random.nextInt(3) == 0) {
					spec.put("scale_fn", pick(random, "1 / (x - 7)", "0.5 ** x", "1", "1 / x"));
					spec.put("scale_mode", pick(random, "cycle", "iterations"));
				}
				return spec;
			}, 3000);
		}

		@Test
		void cosineAnnealingWarmRestarts() {
			assertJumpsExactly(5,
					(random) -> spec("CosineAnnealingWarmRestarts", "T_0", pick(random, 1L, 2L, 7L, 100L, 1L << 40),
							"T_mult", pick(random, 1L, 2L, 3L, 1L << 20), "eta_min", pick(random, 0.0, 0.001)),
					100_000);
		}

		@Test
		void constantAndMultiStep() {
			assertJumpsExactly(6,
					(random) -> random.nextBoolean()
							? spec("ConstantLR", "factor", pick(random, 0.0, 0.5, 1.0 / 3), "total_iters",
									(long) random.nextInt(400) - 50)
							: spec("MultiStepLR", "milestones",
									List.of((long) random.nextInt(100), 30L, 30L, (long) random.nextInt(500), 0L),
									"gamma", pick(random, 0.1, 1e300, 2.0)),
					600);
		}

		@Test
		void multiplicativeLrReplaysItsProductsInPlace() {
			int built = assertJumpsExactly(9,
					(random) -> spec("MultiplicativeLR", "lr_lambda",
							pick(random, "0.999", "1 + 1 / (epoch - 37)", "0.5 if epoch % 7 else 1.5",
									List.of("0.9", "1.01 ** epoch"), List.of("0.99", "1 / (epoch - 50)", "1.5"))),
					20_000);
			assertThat(built).isGreaterThan(CASES / 2);
		}

		@Test
		void sequentialLrRunsItsChildrenBetweenMilestones() {
			int built = assertJumpsExactly(10, (random) -> {
				long first = random.nextInt(300);
				List<Object> milestones = List.of(first, first + pick(random, 0L, 1L, (long) random.nextInt(500)));
				List<Object> children = new ArrayList<>();
				children.add(random.nextBoolean() ? recursive(random) : spec("ChainedScheduler", "schedulers",
						List.of(spec("StepLR", "step_size", 7L, "gamma", 0.9), recursive(random))));
				children.add(recursive(random));
				children.add(spec("MultiplicativeLR", "lr_lambda", pick(random, "0.999", "1 + 1 / (epoch - 99)")));
				return spec("SequentialLR", "milestones", milestones, "schedulers", children);
			}, 3000, 60);
			assertThat(built).isGreaterThan(30);
		}

		@Test
		void recursiveTypesUpToTheThreshold() {
			assertJumpsExactly(7, FastForwardTest::recursive, Chainable.EXACT_STEPS);
		}

		@Test
		void stepAndRampTypesStepOnlyWhatChanges() {
			assertJumpsExactly(8,
					(random) -> pick(random, spec("StepLR", "step_size", pick(random, 50_000L, -40_000L), "gamma", 0.5),
							spec("LinearLR", "total_iters", (long) random.nextInt(300)), spec("PolynomialLR",
									"total_iters", (long) random.nextInt(300), "power", pick(random, 1.0, -1.0, 2.0))),
					300_000, 40);
		}

	}

	private static Map<String, Object> recursive(Random random) {
		return pick(random,
				spec("StepLR", "step_size", pick(random, 1L, 3L, -2L), "gamma", pick(random, 0.9, 1.1, 1e100, -0.5)),
				spec("ExponentialLR", "gamma", pick(random, 0.999, 1.001, 1e10, 0.0)),
				spec("LinearLR", "start_factor", random.nextDouble() + 1e-3, "end_factor", random.nextDouble(),
						"total_iters", (long) random.nextInt(20_000) - 10),
				spec("PolynomialLR", "total_iters", (long) random.nextInt(20_000) - 10, "power",
						pick(random, 1.0, 2.5, -1.0, 0.0)),
				spec("CosineAnnealingLR", "T_max", (long) random.nextInt(5000) - 100, "eta_min",
						pick(random, 0.0, 0.01)));
	}

	@Nested
	class ClosedForm {

		@Test
		void beyondTheThresholdWithinTheParityTolerance() {
			Random random = new Random(9);
			for (int c = 0; c < 40; c++) {
				Map<String, Object> spec = recursive(random);
				List<ParamGroup> groups = List.of(new ParamGroup(1.0, null), new ParamGroup(0.25, null));
				Schedule schedule;
				try {
					schedule = Schedule.of(spec, groups);
				}
				catch (InvalidScheduleException ex) {
					continue;
				}
				long n = Chainable.EXACT_STEPS + 1 + random.nextInt(60_000);
				Object jumped = jumped(schedule, n);
				Object stepped = stepped(schedule, n);
				if (!(jumped instanceof Map<?, ?> document) || !(stepped instanceof Map<?, ?> expected)) {
					assertThat(jumped).as("%s at %d", spec, n).isEqualTo(stepped);
					continue;
				}
				assertWithinTolerance(spec, n, document, expected);
			}
		}

		private void assertWithinTolerance(Map<String, Object> spec, long n, Map<?, ?> document, Map<?, ?> expected) {
			assertThat(document.get("_step_count")).isEqualTo(expected.get("_step_count"));
			assertThat(document.get("last_epoch")).isEqualTo(expected.get("last_epoch"));
			List<?> got = (List<?>) document.get("_last_lr");
			List<?> want = (List<?>) expected.get("_last_lr");
			for (int i = 0; i < want.size(); i++) {
				double a = (Double) got.get(i);
				double b = (Double) want.get(i);
				if (a == b) {
					continue;
				}
				assertThat(Math.abs(a - b)).as("%s at %d group %d: %s vs %s", spec, n, i, a, b)
					.isLessThanOrEqualTo(1e-12 + 1e-9 * Math.abs(b));
			}
		}

		@Test
		void takesPyTorchsClosedFormAndKeepsItsRefusals() {
			Schedule cosine = Schedule.of(spec("CosineAnnealingLR", "T_max", 1000L),
					List.of(new ParamGroup(1.0, null)));
			assertThat(cosine.start(90_500).lr(0)).isEqualTo(0.5 * (1 + Math.cos(Math.PI * 90_500 / 1000)));
			assertThat(cosine.cost(90_500, 0)).isLessThan(100);
			// beyond 10^5 steps the recursion drifts too far from it: replayed in place,
			// and priced so (the construction builds a state: 1 + 5)
			assertThat(cosine.cost(100_001, 0)).isEqualTo(9 * (100_001 + 6));
			// stepping would raise at total_iters: the closed form is not taken
			Schedule polynomial = Schedule.of(spec("PolynomialLR", "total_iters", 20_000L, "power", -1.0),
					List.of(new ParamGroup(1.0, null)));
			assertThat(jumped(polynomial, 30_000)).isEqualTo(stepped(polynomial, 30_000));
			assertThat(jumped(polynomial, 30_000).toString()).contains("ZeroDivisionError");
			// PyTorch's ** would overflow where the recursion's product reaches inf
			// (which a
			// registration then refuses, as any non-finite lr)
			Schedule exponential = Schedule.of(spec("ExponentialLR", "gamma", 1.1), List.of(new ParamGroup(1.0, null)));
			assertThat(jumped(exponential, 20_000)).isEqualTo(stepped(exponential, 20_000))
				.asString()
				.contains("lr = Infinity at epoch 20000");
		}

	}

	@Nested
	class Cost {

		@Test
		void jumpsCostTheSameAtAnyLastEpoch() {
			List<ParamGroup> one = List.of(new ParamGroup(0.1, 0.9));
			for (Map<String, Object> spec : List.of(spec("OneCycleLR", "max_lr", 1.0, "total_steps", 10_000_000L),
					spec("CosineAnnealingWarmRestarts", "T_0", 10L, "T_mult", 2L),
					spec("cosine", "num_warmup_steps", 10L, "num_training_steps", 1000L),
					spec("ExponentialLR", "gamma", 0.99), spec("ConstantLR"),
					spec("CyclicLR", "base_lr", 0.1, "max_lr", 1.0))) {
				Schedule schedule = Schedule.of(spec, one);
				assertThat(schedule.cost(10_000_000, 0)).as("%s", spec).isEqualTo(schedule.cost(100_000, 0));
			}
		}

		@Test
		void stepsAndExpressionsAndGroupsMultiply() {
			List<ParamGroup> two = List.of(new ParamGroup(0.1, null), new ParamGroup(0.2, null));
			Schedule multiplicative = Schedule.of(spec("MultiplicativeLR", "lr_lambda", "0.9 + epoch * 0"), two);
			// 5 tokens + 1 node; 2 groups + 8 for the work that does not grow with them;
			// 1000 fast-forward replayed in place, then 10 steps + the construction that
			// each build a state (5 units)
			assertThat(multiplicative.cost(1000, 10)).isEqualTo((2 + 8) * (6 * 1000 + (6 + 5) * 11));
			Schedule lambda = Schedule.of(spec("LambdaLR", "lr_lambda", "1 / (epoch + 1)"), two);
			assertThat(lambda.cost(1001, 0)).isEqualTo((2 + 8) * (7 * 1000 + 8 + (8 + 5)));
			Schedule chained = Schedule.of(spec("ChainedScheduler", "schedulers",
					List.of(spec("StepLR", "step_size", 2L), spec("ExponentialLR", "gamma", 0.9))), two);
			// stepped: every step builds the states of 3 scheduler objects
			assertThat(chained.cost(100, 0)).isEqualTo((2 + 8) * (3 + 3 * 5) * 101);
		}

		@Test
		void aRequestAboveTheLimitIsRefusedBeforeAnyWork() {
			List<ParamGroup> groups = new ArrayList<>();
			for (int i = 0; i < Schedule.MAX_GROUPS; i++) {
				groups.add(new ParamGroup(0.1, null));
			}
			Schedule schedule = Schedule.of(spec("MultiplicativeLR", "lr_lambda", "0.999"), groups);
			assertThat(jumped(schedule, 10_000_000).toString()).startsWith("last_epoch: this request costs ")
				.contains("limit of " + Schedule.MAX_WORK);
			List<ScheduleState> seen = new ArrayList<>();
			assertThatExceptionOfType(InvalidScheduleException.class)
				.isThrownBy(() -> schedule.preview(0, 100_000, List.of(), seen::add))
				.withMessageStartingWith("steps: this request costs ");
			assertThat(seen).isEmpty();
		}

	}

}
