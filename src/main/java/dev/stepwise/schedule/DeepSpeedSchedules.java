package dev.stepwise.schedule;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import static dev.stepwise.schedule.KeywordArgument.choice;
import static dev.stepwise.schedule.KeywordArgument.optional;
import static dev.stepwise.schedule.KeywordArgument.required;

/**
 * DeepSpeed's schedules, transcribed from {@code deepspeed/runtime/lr_schedules.py} at
 * DeepSpeed commit {@value #COMMIT} (2026-08-22), same float operations in the same
 * order: the arguments are the keys of a DeepSpeed config's {@code scheduler.params} with
 * the classes' defaults, and DeepSpeed's checks raise as 422s naming the argument. With
 * {@code t = last_batch_iteration} ({@code last_epoch - 1}: the constructor leaves it at
 * -1) and {@code w = max(2, warmup_num_steps)}:
 * <ul>
 * <li>{@code deepspeed.WarmupLR}: {@code min_lr + (max_lr - min_lr)·γ},
 * {@code γ = log(t + 1)/log(w)} ({@code log}) or {@code t/w} ({@code linear}) for
 * {@code t < w}, then 1; {@code min_lr} at {@code t = -1}</li>
 * <li>{@code deepspeed.WarmupDecayLR}: as WarmupLR, then
 * {@code γ = max(0, (T - t)/max(1, T - w))}</li>
 * <li>{@code deepspeed.WarmupCosineLR}: {@code lr = lr_0·r} (the registered lr), 0 at
 * {@code t = -1}, {@code r = m + γ(1 - m)} for {@code t < w} ({@code m} the
 * {@code warmup_min_ratio}), then
 * {@code r = max(0, c + (1 - c)(1 + cos(π·min(1, (t - w + 1)/max(1, T - w))))/2)}</li>
 * <li>{@code deepspeed.OneCycle}: {@code min + (max - min)·s} in the cycle of
 * {@code n = first + second} iterations, {@code s} the triangle position of
 * {@code b = t + 1} (floored to stairs when a stair count is positive); momentum
 * {@code max_mom - (max_mom - min_mom)·s}; after the cycle
 * {@code lr = min/(1 + decay_lr_rate·d/decay_step_size)} and
 * {@code mom = max_mom·(1 + decay_mom_rate·d/decay_step_size)},
 * {@code d = t - n + 1}</li>
 * <li>{@code deepspeed.LRRangeTest}: {@code min_lr·(1 + step_rate·(t + 1)/step_size)},
 * the quotient floored when {@code staircase}</li>
 * </ul>
 * The momentum is the group's {@code momentum} field: DeepSpeed writes it as
 * {@code betas = (mom, 0.99)} for optimizers with betas (so beta2 becomes 0.99) and
 * cycles nothing for the others; the Python client writes it to {@code betas[0]} or
 * {@code momentum}.
 *
 * @see <a href=
 * "https://github.com/deepspeedai/DeepSpeed/blob/edaa7221267243c7be7fb49c5d5f5c4fb97b4641/deepspeed/runtime/lr_schedules.py">lr_schedules.py</a>
 */
final class DeepSpeedSchedules {

	/** The DeepSpeed commit transcribed. */
	static final String COMMIT = "edaa7221267243c7be7fb49c5d5f5c4fb97b4641";

	private static final String WARMUP_NUM_STEPS = "warmup_num_steps";

	private static final String TOTAL_NUM_STEPS = "total_num_steps";

	private static final KeywordArgument WARMUP_MIN_LR = optional("warmup_min_lr", ArgumentKind.NUMBER_OR_LIST, 0.0,
			"The lr at the start of the warmup." + KeywordArgument.PER_GROUP);

	private static final KeywordArgument WARMUP_STEPS = optional(WARMUP_NUM_STEPS, ArgumentKind.INTEGER, 1000L,
			"Iterations of warmup; a positive integer (1 counts as 2, as DeepSpeed takes max(2, n)).");

	private static final KeywordArgument WARMUP_TYPE = choice("warmup_type", "log",
			"Warmup shape: log(t + 1)/log(n) or t/n (DeepSpeed falls back to log on any other value; Stepwise"
					+ " refuses it).",
			"log", "linear");

	private static final KeywordArgument TOTAL = required(TOTAL_NUM_STEPS, ArgumentKind.INTEGER,
			"Total training iterations; the decay ends there.");

	private static final String SOURCE = "DeepSpeed's ";

	private static final String NO_SEQUENTIAL = " A ChainedScheduler may hold it; a SequentialLR may not.";

	/** The types, in DeepSpeed's {@code VALID_LR_SCHEDULES} order. */
	static final List<SchedulerType> TYPES = List.of(
			type("LRRangeTest", "LR range test: the lr grows linearly (or in stairs) from lr_range_test_min_lr.",
					"`min_lr·(1 + step_rate·(t + 1)/step_size)`, floored to stairs with `staircase`",
					List.of(optional("lr_range_test_min_lr", ArgumentKind.NUMBER_OR_LIST, 1e-3,
							"Initial lr." + KeywordArgument.PER_GROUP),
							optional("lr_range_test_step_size", ArgumentKind.INTEGER, 2000L,
									"Iterations per lr increase; a positive integer."),
							optional("lr_range_test_step_rate", ArgumentKind.NUMBER, 1.0, "Scaling rate."),
							optional("lr_range_test_staircase", ArgumentKind.BOOLEAN, false,
									"Increase in stairs rather than continuously."))),
			type("OneCycle", "1Cycle: lr (and momentum, inversely) up and down one cycle, then an optional decay.",
					"triangle cycle of `first + second` iterations, then `min/(1 + rate·d/decay_step_size)`",
					List.of(required("cycle_min_lr", ArgumentKind.NUMBER_OR_LIST,
							"Lower lr of the cycle." + KeywordArgument.PER_GROUP),
							required("cycle_max_lr", ArgumentKind.NUMBER_OR_LIST,
									"Upper lr of the cycle." + KeywordArgument.PER_GROUP),
							optional("decay_lr_rate", ArgumentKind.NUMBER, 0.0, "Post-cycle lr decay rate."),
							optional("cycle_first_step_size", ArgumentKind.INTEGER, 2000L,
									"Iterations of the increasing half; positive."),
							optional("cycle_second_step_size", ArgumentKind.INTEGER, null,
									"Iterations of the decreasing half; null: cycle_first_step_size."),
							optional("cycle_first_stair_count", ArgumentKind.INTEGER, 0L,
									"Stairs of the first half; 0 (or less): continuous."),
							optional("cycle_second_stair_count", ArgumentKind.INTEGER, null,
									"Stairs of the second half; null: cycle_first_stair_count."),
							optional("decay_step_size", ArgumentKind.INTEGER, 0L,
									"Iterations per unit of post-cycle decay; 0: no decay."),
							optional("cycle_momentum", ArgumentKind.BOOLEAN, true,
									"Cycle the momentum (beta1) inversely to the lr; then every group reports one."),
							optional("cycle_min_mom", ArgumentKind.NUMBER_OR_LIST, 0.8,
									"Lower momentum." + KeywordArgument.PER_GROUP),
							optional("cycle_max_mom", ArgumentKind.NUMBER_OR_LIST, 0.9,
									"Upper momentum." + KeywordArgument.PER_GROUP),
							optional("decay_mom_rate", ArgumentKind.NUMBER, 0.0, "Post-cycle momentum growth rate.")))
				.lasting(ScheduleLength.sum("cycle_first_step_size", "cycle_second_step_size")
					.orElse(ScheduleLength.sum("cycle_first_step_size", "cycle_first_step_size"))),
			type("WarmupLR", "warmup from warmup_min_lr to warmup_max_lr, then constant.",
					"log or linear warmup to `warmup_max_lr`, then constant",
					List.of(WARMUP_MIN_LR,
							optional("warmup_max_lr", ArgumentKind.NUMBER_OR_LIST, null,
									"The lr after the warmup; null: each group's registered lr."
											+ KeywordArgument.PER_GROUP),
							WARMUP_STEPS, WARMUP_TYPE)),
			type("WarmupDecayLR", "warmup as WarmupLR, then linear decay to 0 at total_num_steps.",
					"log or linear warmup, then linear decay to 0 at `total_num_steps`",
					List.of(TOTAL, WARMUP_MIN_LR,
							optional("warmup_max_lr", ArgumentKind.NUMBER_OR_LIST, 0.001,
									"The lr after the warmup." + KeywordArgument.PER_GROUP),
							WARMUP_STEPS, WARMUP_TYPE))
				.lasting(ScheduleLength.argument(TOTAL_NUM_STEPS)),
			type("WarmupCosineLR", "warmup of the registered lr's ratio, then cosine decay to cos_min_ratio.",
					"ratio of the registered lr: warmup from `warmup_min_ratio`, cosine to `cos_min_ratio`",
					List.of(TOTAL,
							optional("warmup_min_ratio", ArgumentKind.NUMBER, 0.0,
									"Ratio of the registered lr the warmup starts from."),
							WARMUP_STEPS,
							optional("cos_min_ratio", ArgumentKind.NUMBER, 0.0001,
									"Ratio of the registered lr at the end of the decay."),
							WARMUP_TYPE))
				.lasting(ScheduleLength.argument(TOTAL_NUM_STEPS)));

	private DeepSpeedSchedules() {
	}

	private static SchedulerType type(String name, String description, String summary,
			List<KeywordArgument> arguments) {
		return new SchedulerType("deepspeed." + name,
				SOURCE + name + " (deepspeed.runtime.lr_schedules at " + COMMIT.substring(0, 7) + "): " + description
						+ " Not a PyTorch class; last_epoch is last_batch_iteration + 1." + NO_SEQUENTIAL,
				summary, arguments)
			.takingUnits();
	}

	/** Whether {@code type} is one of these. */
	static boolean owns(String type) {
		return type.startsWith("deepspeed.");
	}

	/**
	 * Builds the named schedule on groups whose lrs are {@code lrs} (WarmupLR's default
	 * {@code warmup_max_lr}, WarmupCosineLR's {@code org_lrs}).
	 */
	static DeepSpeedLrSchedule read(String type, ArgumentReader arguments, double[] lrs) {
		return switch (type) {
			case "deepspeed.LRRangeTest" -> LRRangeTest.read(arguments);
			case "deepspeed.OneCycle" -> OneCycle.read(arguments);
			case "deepspeed.WarmupCosineLR" -> WarmupCosineLR.read(arguments, lrs);
			default -> WarmupLR.read(type, arguments, lrs);
		};
	}

	/**
	 * An integer whose magnitude Stepwise bounds by {@link Schedule#MAX_EPOCH}, where
	 * Python's ints are unbounded, so that no iteration arithmetic overflows.
	 */
	private static long bounded(ArgumentReader arguments, String name, long value) {
		if (Math.abs(value) > Schedule.MAX_EPOCH) {
			throw arguments.invalid(name, "must be at most " + Schedule.MAX_EPOCH + " in magnitude, got " + value);
		}
		return value;
	}

	/** DeepSpeed's {@code warmup_num_steps} check, then {@code max(2, n)}. */
	private static long warmupSteps(ArgumentReader arguments) {
		long steps = bounded(arguments, WARMUP_NUM_STEPS, arguments.integer(WARMUP_NUM_STEPS, true));
		if (steps <= 0) {
			throw arguments.invalid(WARMUP_NUM_STEPS, "warmup_num_steps must be a positive integer, got " + steps);
		}
		return Math.max(2, steps);
	}

	/**
	 * Whether {@code warmup_type} is {@code log} (else {@code linear}); DeepSpeed logs a
	 * warning on another value and warms up by log, Stepwise refuses it, so that a typo
	 * does not silently change the schedule.
	 */
	private static boolean logWarmup(ArgumentReader arguments) {
		String type = arguments.string("warmup_type");
		if (!type.equals("log") && !type.equals("linear")) {
			throw arguments.invalid("warmup_type",
					"must be log or linear, got " + type + " (DeepSpeed would warn and use log)");
		}
		return type.equals("log");
	}

	/**
	 * {@code _get_gamma()} within the warmup ({@code t < w}): {@code log} or
	 * {@code linear}.
	 */
	private static double warmupGamma(long t, long w, boolean log, double inverseLogWarmUp) {
		return log ? inverseLogWarmUp * Math.log(t + 1) : (double) t / w;
	}

	/**
	 * {@code WarmupLR}, and {@code WarmupDecayLR} (its subclass) when
	 * {@code totalNumSteps} is given.
	 *
	 * @param type the type name
	 * @param minLrs {@code min_lrs}
	 * @param deltaLrs {@code max_lrs - min_lrs}
	 * @param warmupNumSteps {@code max(2, warmup_num_steps)}
	 * @param log the log warmup (else linear)
	 * @param inverseLogWarmUp {@code 1/log(warmup_num_steps)}
	 * @param totalNumSteps WarmupDecayLR's {@code total_num_steps}, else null
	 * @param arguments the normalised arguments
	 */
	record WarmupLR(String type, double[] minLrs, double[] deltaLrs, long warmupNumSteps, boolean log,
			double inverseLogWarmUp, @Nullable Long totalNumSteps,
			Map<String, @Nullable Object> arguments) implements DeepSpeedLrSchedule {

		static WarmupLR read(String type, ArgumentReader arguments, double[] lrs) {
			Long total = type.equals("deepspeed.WarmupDecayLR")
					? bounded(arguments, TOTAL_NUM_STEPS, arguments.integer(TOTAL_NUM_STEPS, false)) : null;
			double[] minLrs = arguments.reals("warmup_min_lr");
			double[] maxLrs;
			if (total == null && !arguments.has("warmup_max_lr")) {
				arguments.put("warmup_max_lr", null);
				maxLrs = lrs;
			}
			else {
				maxLrs = arguments.reals("warmup_max_lr");
			}
			long w = warmupSteps(arguments);
			boolean log = logWarmup(arguments);
			double[] deltaLrs = new double[minLrs.length];
			for (int i = 0; i < deltaLrs.length; i++) {
				deltaLrs[i] = maxLrs[i] - minLrs[i];
			}
			return new WarmupLR(type, minLrs, deltaLrs, w, log, 1.0 / Math.log(w), total, arguments.normalized());
		}

		@Override
		public double[] lr(long t, Optimizer optimizer) {
			if (t < 0) {
				return this.minLrs.clone();
			}
			double gamma = gamma(t);
			double[] values = new double[this.minLrs.length];
			for (int i = 0; i < values.length; i++) {
				values[i] = this.minLrs[i] + (this.deltaLrs[i] * gamma);
			}
			return values;
		}

		private double gamma(long t) {
			if (t < this.warmupNumSteps) {
				return warmupGamma(t, this.warmupNumSteps, this.log, this.inverseLogWarmUp);
			}
			if (this.totalNumSteps == null) {
				return 1.0;
			}
			long total = this.totalNumSteps;
			return Py.max(0.0, (double) (total - t) / Py.max(1.0, (double) (total - this.warmupNumSteps)));
		}

	}

	/**
	 * {@code WarmupCosineLR}.
	 *
	 * @param orgLrs the groups' lrs at construction
	 * @param totalNumSteps {@code total_num_steps}
	 * @param warmupMinRatio {@code warmup_min_ratio}
	 * @param warmupNumSteps {@code max(2, warmup_num_steps)}
	 * @param cosMinRatio {@code cos_min_ratio}
	 * @param log the log warmup (else linear)
	 * @param inverseLogWarmUp {@code 1/log(warmup_num_steps)}
	 * @param arguments the normalised arguments
	 */
	record WarmupCosineLR(double[] orgLrs, long totalNumSteps, double warmupMinRatio, long warmupNumSteps,
			double cosMinRatio, boolean log, double inverseLogWarmUp,
			Map<String, @Nullable Object> arguments) implements DeepSpeedLrSchedule {

		static WarmupCosineLR read(ArgumentReader arguments, double[] lrs) {
			long total = bounded(arguments, TOTAL_NUM_STEPS, arguments.integer(TOTAL_NUM_STEPS, false));
			double warmupMinRatio = arguments.real("warmup_min_ratio");
			long w = warmupSteps(arguments);
			double cosMinRatio = arguments.real("cos_min_ratio");
			boolean log = logWarmup(arguments);
			return new WarmupCosineLR(lrs.clone(), total, warmupMinRatio, w, cosMinRatio, log, 1.0 / Math.log(w),
					arguments.normalized());
		}

		@Override
		public String type() {
			return "deepspeed.WarmupCosineLR";
		}

		@Override
		public double[] lr(long t, Optimizer optimizer) {
			if (t < 0) {
				return new double[this.orgLrs.length];
			}
			double ratio = ratio(t);
			double[] values = new double[this.orgLrs.length];
			for (int i = 0; i < values.length; i++) {
				values[i] = this.orgLrs[i] * ratio;
			}
			return values;
		}

		private double ratio(long t) {
			if (t < this.warmupNumSteps) {
				double ratio = warmupGamma(t, this.warmupNumSteps, this.log, this.inverseLogWarmUp);
				double ratioDelta = 1. - this.warmupMinRatio;
				return this.warmupMinRatio + ratio * ratioDelta;
			}
			long realLastStep = t - this.warmupNumSteps + 1;
			long realTotalSteps = Math.max(1, this.totalNumSteps - this.warmupNumSteps);
			double cosineProgress = Py.min(1.0, (double) realLastStep / realTotalSteps);
			double ratioDelta = 1. - this.cosMinRatio;
			double ratio = (1 + Math.cos(Math.PI * cosineProgress)) / 2;
			return Py.max(0.0, this.cosMinRatio + ratioDelta * ratio);
		}

	}

	/**
	 * {@code LRRangeTest}.
	 *
	 * @param minLrs {@code lr_range_test_min_lr} per group
	 * @param stepSize {@code lr_range_test_step_size}
	 * @param stepRate {@code lr_range_test_step_rate}
	 * @param staircase {@code lr_range_test_staircase}
	 * @param arguments the normalised arguments
	 */
	record LRRangeTest(double[] minLrs, long stepSize, double stepRate, boolean staircase,
			Map<String, @Nullable Object> arguments) implements DeepSpeedLrSchedule {

		static LRRangeTest read(ArgumentReader arguments) {
			double[] minLrs = arguments.reals("lr_range_test_min_lr");
			long stepSize = bounded(arguments, "lr_range_test_step_size",
					arguments.integer("lr_range_test_step_size", true));
			if (stepSize <= 0) {
				throw arguments.invalid("lr_range_test_step_size",
						"lr_range_test_step_size must be a positive integer, got " + stepSize);
			}
			double stepRate = arguments.real("lr_range_test_step_rate");
			boolean staircase = arguments.bool("lr_range_test_staircase");
			return new LRRangeTest(minLrs, stepSize, stepRate, staircase, arguments.normalized());
		}

		@Override
		public String type() {
			return "deepspeed.LRRangeTest";
		}

		@Override
		public double[] lr(long t, Optimizer optimizer) {
			double interval = (double) (t + 1) / this.stepSize;
			double increase = 1 + this.stepRate * (this.staircase ? Math.floor(interval) : interval);
			double[] values = new double[this.minLrs.length];
			for (int i = 0; i < values.length; i++) {
				values[i] = this.minLrs[i] * increase;
			}
			return values;
		}

	}

	/**
	 * {@code OneCycle}.
	 *
	 * @param minLrs {@code cycle_min_lr} per group
	 * @param maxLrs {@code cycle_max_lr} per group
	 * @param decayLrRate {@code decay_lr_rate}
	 * @param shape the cycle's shape
	 * @param skipLrDecay DeepSpeed's {@code skip_lr_decay}
	 * @param cycleMomentum {@code cycle_momentum}
	 * @param minMoms {@code cycle_min_mom} per group
	 * @param maxMoms {@code cycle_max_mom} per group
	 * @param decayMomRate {@code decay_mom_rate}
	 * @param skipMomDecay DeepSpeed's {@code skip_mom_decay}
	 * @param arguments the normalised arguments
	 */
	record OneCycle(double[] minLrs, double[] maxLrs, double decayLrRate, Cycle shape, boolean skipLrDecay,
			boolean cycleMomentum, double[] minMoms, double[] maxMoms, double decayMomRate, boolean skipMomDecay,
			Map<String, @Nullable Object> arguments) implements DeepSpeedLrSchedule {

		static OneCycle read(ArgumentReader arguments) {
			double[] minLrs = arguments.reals("cycle_min_lr");
			double[] maxLrs = arguments.reals("cycle_max_lr");
			double decayLrRate = arguments.real("decay_lr_rate");
			Cycle shape = Cycle.read(arguments);
			boolean cycleMomentum = arguments.bool("cycle_momentum");
			double[] minMoms = arguments.reals("cycle_min_mom");
			double[] maxMoms = arguments.reals("cycle_max_mom");
			double decayMomRate = arguments.real("decay_mom_rate");
			// math.isclose(x, 0) with its default tolerances is x == 0
			boolean noDecay = shape.decayStepSize() == 0;
			return new OneCycle(minLrs, maxLrs, decayLrRate, shape, noDecay || decayLrRate == 0, cycleMomentum, minMoms,
					maxMoms, decayMomRate, noDecay || decayMomRate == 0, arguments.normalized());
		}

		@Override
		public String type() {
			return "deepspeed.OneCycle";
		}

		@Override
		public boolean cyclesMomentum() {
			return this.cycleMomentum;
		}

		/**
		 * The constructor writes the lower bounds: {@code betas = (cycle_min_mom, 0.99)}.
		 */
		@Override
		public NodeState construct(Optimizer optimizer) {
			if (this.cycleMomentum) {
				System.arraycopy(this.minMoms, 0, optimizer.momentum, 0, this.minMoms.length);
			}
			optimizer.writeLr(this.minLrs.clone());
			return new NodeState.BatchIteration(-1);
		}

		@Override
		public double[] lr(long t, Optimizer optimizer) {
			double[] values = new double[this.minLrs.length];
			boolean inCycle = t < this.shape.totalSize();
			double scale = inCycle ? this.shape.scaleFactor(t + 1) : Double.NaN;
			double decay = inCycle ? Double.NaN : ((double) t - this.shape.totalSize()) + 1;
			for (int i = 0; i < values.length; i++) {
				if (inCycle) {
					values[i] = this.minLrs[i] + (this.maxLrs[i] - this.minLrs[i]) * scale;
				}
				else {
					values[i] = this.skipLrDecay ? this.minLrs[i]
							: Py.div(this.minLrs[i], 1 + this.decayLrRate * this.shape.decayInterval(decay));
				}
			}
			// step() writes the lr, then the momentum; both are computed before either
			if (this.cycleMomentum) {
				for (int i = 0; i < values.length; i++) {
					optimizer.momentum[i] = inCycle ? this.maxMoms[i] - (this.maxMoms[i] - this.minMoms[i]) * scale
							: this.skipMomDecay ? this.maxMoms[i]
									: this.maxMoms[i] * (1 + this.decayMomRate * this.shape.decayInterval(decay));
				}
			}
			return values;
		}

		/**
		 * The post-cycle lr divides by {@code 1 + decay_lr_rate·d/decay_step_size}, which
		 * is linear in {@code d}: only the integers next to its root can make it 0.
		 */
		@Override
		public void checkBetween(long from, long to) {
			if (this.skipLrDecay) {
				return;
			}
			double root = -this.shape.decayStepSize() / this.decayLrRate + this.shape.totalSize() - 1;
			if (!(root > from && root < to + 1.0)) {
				return;
			}
			long near = (long) Math.floor(root);
			Optimizer scratch = new Optimizer(
					GroupArrays.registered(new double[this.minLrs.length], new double[this.minLrs.length]));
			for (long t = Math.max(from + 1, near - 1); t <= Math.min(to - 1, near + 2); t++) {
				lr(t, scratch);
			}
		}

	}

	/**
	 * OneCycle's cycle: {@code _initialize_cycle} and {@code _get_scale_factor}.
	 *
	 * @param firstStepSize {@code first_step_size}, a float in DeepSpeed
	 * @param secondStepSize {@code second_step_size}
	 * @param totalSize {@code first + second}
	 * @param stepRatio {@code first / total}
	 * @param firstStairCount {@code first_stair_count}
	 * @param secondStairCount {@code second_stair_count}
	 * @param decayStepSize {@code decay_step_size}
	 */
	record Cycle(double firstStepSize, double secondStepSize, double totalSize, double stepRatio, long firstStairCount,
			long secondStairCount, long decayStepSize) {

		static Cycle read(ArgumentReader arguments) {
			double first = bounded(arguments, "cycle_first_step_size",
					arguments.integer("cycle_first_step_size", false));
			Long givenSecond = arguments.optionalInteger("cycle_second_step_size", false);
			double second = (givenSecond != null) ? bounded(arguments, "cycle_second_step_size", givenSecond) : first;
			if (first <= 0) {
				throw arguments.invalid("cycle_first_step_size",
						"cycle_first_step_size must be positive, got " + first);
			}
			if (second < 0) {
				throw arguments.invalid("cycle_second_step_size",
						"cycle_second_step_size must be non-negative, got " + second);
			}
			long firstStairs = arguments.integer("cycle_first_stair_count", false);
			Long givenSecondStairs = arguments.optionalInteger("cycle_second_stair_count", false);
			long decayStepSize = bounded(arguments, "decay_step_size", arguments.integer("decay_step_size", false));
			double total = first + second;
			return new Cycle(first, second, total, first / total, firstStairs,
					(givenSecondStairs != null) ? givenSecondStairs : firstStairs, decayStepSize);
		}

		/** {@code _get_scale_factor()} at {@code batch_iteration = b}. */
		double scaleFactor(long b) {
			double cycle = Math.floor(1 + b / this.totalSize);
			double x = 1. + b / this.totalSize - cycle;
			double scaleFactor;
			long stairCount;
			if (x <= this.stepRatio) {
				scaleFactor = x / this.stepRatio;
				stairCount = this.firstStairCount;
			}
			else {
				scaleFactor = Py.div(x - 1, this.stepRatio - 1);
				stairCount = this.secondStairCount;
			}
			if (stairCount > 0) {
				double cycleIteration = Py.mod((double) b, this.totalSize);
				double stairPosition = (cycleIteration <= this.firstStepSize)
						? cycleIteration * stairCount / this.firstStepSize
						: (this.totalSize - cycleIteration) * stairCount / this.secondStepSize;
				scaleFactor = Math.floor(stairPosition) / stairCount;
			}
			return scaleFactor;
		}

		/** {@code decay_batch_iteration / decay_step_size}. */
		double decayInterval(double decayBatchIteration) {
			return decayBatchIteration / this.decayStepSize;
		}

	}

}
