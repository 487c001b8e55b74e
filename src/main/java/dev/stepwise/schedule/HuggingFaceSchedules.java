package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.List;

import static dev.stepwise.schedule.KeywordArgument.choice;
import static dev.stepwise.schedule.KeywordArgument.optional;
import static dev.stepwise.schedule.KeywordArgument.required;

/**
 * The Hugging Face {@code transformers.get_scheduler} schedules. All but
 * {@code reduce_lr_on_plateau} are a {@link LambdaLR} with one multiplier {@code f(t)}
 * for every group, {@code lr = initial_lr · f(last_epoch)}; with
 * {@code w = num_warmup_steps}, {@code T = num_training_steps} and the warmup
 * {@code t / max(1, w)} for {@code t < w}:
 * <ul>
 * <li>{@code constant}: 1; {@code constant_with_warmup}: warmup, then 1</li>
 * <li>{@code linear}: warmup, then {@code max(0, (T - t)/max(1, T - w))}</li>
 * <li>{@code cosine}: warmup, then {@code max(0, ½(1 + cos(2π·num_cycles·p)))},
 * {@code p = (t - w)/max(1, T - w)}, not clamped after T</li>
 * <li>{@code cosine_with_restarts}: as cosine with {@code cos(π·((num_cycles·p) mod 1))},
 * 0 from {@code p >= 1}</li>
 * <li>{@code polynomial}:
 * {@code ((lr_init - lr_end)(1 - (t - w)/(T - w))^power + lr_end)/lr_init},
 * {@code lr_end/lr_init} after T, where {@code lr_init} is the first group's lr</li>
 * <li>{@code inverse_sqrt}: warmup, then {@code 1/sqrt((t + timescale - w)/timescale)},
 * {@code timescale = w or 10000} by default</li>
 * <li>{@code cosine_with_min_lr}: cosine floored at {@code min_lr_rate} (or
 * {@code min_lr / lr_init}); {@code cosine_warmup_with_min_lr}: the same shifted one
 * step, warmup {@code (t + 1)/max(1, w)} or from {@code warmup_lr_rate}</li>
 * <li>{@code warmup_stable_decay}: warmup (linear, cosine or 1-sqrt) from
 * {@code min_lr_ratio}, a stable phase, a decay back to {@code min_lr_ratio}, then
 * {@code min_lr_ratio}</li>
 * </ul>
 * Every one but {@code reduce_lr_on_plateau} is a closed form of {@code t}, so it
 * {@link SchedulerType#takingUnits() takes units}: in tokens or samples, {@code t} is
 * what the steps consumed, and the step counts ({@code w}, {@code T}, ...) are in that
 * unit.
 *
 * @see <a href=
 * "https://huggingface.co/docs/transformers/main_classes/optimizer_schedules">transformers
 * optimizer schedules</a>
 */
final class HuggingFaceSchedules {

	private static final KeywordArgument WARMUP = required("num_warmup_steps", ArgumentKind.INTEGER,
			"Steps of linear warmup from 0 to the group's lr.");

	private static final KeywordArgument TRAINING = required("num_training_steps", ArgumentKind.INTEGER,
			"Total number of training steps.");

	/** The length of the schedules that take num_training_steps. */
	private static final ScheduleLength TRAINING_LENGTH = ScheduleLength.argument("num_training_steps");

	private static final KeywordArgument HALF_CYCLES = optional("num_cycles", ArgumentKind.NUMBER, 0.5,
			"Number of cosine waves (0.5: half a cosine, from the peak down to the floor).");

	private static final List<KeywordArgument> MIN_LR = List.of(
			optional("min_lr", ArgumentKind.NUMBER, null,
					"Floor lr, relative to the first group's lr (HF's optimizer.defaults[\"lr\"]); give exactly one of"
							+ " min_lr and min_lr_rate."),
			optional("min_lr_rate", ArgumentKind.NUMBER, null, "Floor as a fraction of each group's initial lr."));

	/** The schedules in {@code get_scheduler}'s order. */
	static final List<SchedulerType> TYPES = List.of(
			SchedulerType.huggingFace("constant", "get_constant_schedule: a constant lr.", "`initial_lr`", List.of())
				.takingUnits(),
			SchedulerType
				.huggingFace("constant_with_warmup", "get_constant_schedule_with_warmup: linear warmup, then constant.",
						"linear warmup, then constant", List.of(WARMUP))
				.takingUnits(),
			SchedulerType
				.huggingFace("linear",
						"get_linear_schedule_with_warmup: linear warmup, then linear decay to 0 at num_training_steps.",
						"warmup, linear decay to 0", List.of(WARMUP, TRAINING))
				.lasting(TRAINING_LENGTH)
				.takingUnits(),
			SchedulerType.huggingFace("cosine",
					"get_cosine_schedule_with_warmup: linear warmup, then cosine decay (not clamped after the end).",
					"warmup, cosine (not clamped after `num_training_steps`)", List.of(WARMUP, TRAINING, HALF_CYCLES))
				.lasting(TRAINING_LENGTH)
				.takingUnits(),
			SchedulerType
				.huggingFace("cosine_with_restarts",
						"get_cosine_with_hard_restarts_schedule_with_warmup: linear warmup, then cosine waves with hard"
								+ " restarts; 0 after num_training_steps.",
						"warmup, hard-restart cosine, 0 after `num_training_steps`",
						// a float, as HF multiplies it into a float (the signature's int
						// hint
						// is not checked)
						List.of(WARMUP, TRAINING,
								optional("num_cycles", ArgumentKind.NUMBER, 1.0, "Number of hard restarts.")))
				.lasting(TRAINING_LENGTH)
				.takingUnits(),
			SchedulerType.huggingFace("polynomial",
					"get_polynomial_decay_schedule_with_warmup: linear warmup, then polynomial decay to lr_end (relative"
							+ " to the first group's lr).",
					"warmup, polynomial decay to `lr_end` (the first group's lr is HF's `defaults[\"lr\"]`)",
					List.of(WARMUP, TRAINING,
							optional("lr_end", ArgumentKind.NUMBER, 1e-7,
									"Final lr; must be below the first group's lr."),
							optional("power", ArgumentKind.NUMBER, 1.0, "Power of the polynomial.")))
				.lasting(TRAINING_LENGTH)
				.takingUnits(),
			SchedulerType.huggingFace("inverse_sqrt", "get_inverse_sqrt_schedule: linear warmup, then 1 / sqrt decay.",
					"warmup, `1/sqrt` decay; `timescale` defaults to `num_warmup_steps or 10000`",
					List.of(WARMUP,
							optional("timescale", ArgumentKind.INTEGER, null,
									"Decay timescale; null: num_warmup_steps or 10000.")))
				.takingUnits(),
			SchedulerType.huggingFace("reduce_lr_on_plateau",
					"get_reduce_on_plateau_schedule: torch's ReduceLROnPlateau.", "as `ReduceLROnPlateau`",
					ReduceLROnPlateau.ARGUMENTS),
			SchedulerType
				.huggingFace("cosine_with_min_lr",
						"get_cosine_with_min_lr_schedule_with_warmup: linear warmup, then cosine decay to a floor.",
						"warmup, cosine floored at `min_lr` or `min_lr_rate` (exactly one)",
						concat(List.of(WARMUP, TRAINING, HALF_CYCLES), MIN_LR))
				.lasting(TRAINING_LENGTH)
				.takingUnits(),
			SchedulerType.huggingFace("cosine_warmup_with_min_lr",
					"get_cosine_with_min_lr_schedule_with_warmup_lr_rate: like cosine_with_min_lr, shifted by one step.",
					"as `cosine_with_min_lr`, shifted one step (DeepSpeed-style warmup)",
					concat(List.of(WARMUP, TRAINING, HALF_CYCLES), MIN_LR,
							List.of(optional("warmup_lr_rate", ArgumentKind.NUMBER, null,
									"Fraction of the lr the warmup starts from; null: (t + 1) / num_warmup_steps."))))
				.lasting(TRAINING_LENGTH)
				.takingUnits(),
			SchedulerType
				.huggingFace("warmup_stable_decay",
						"get_wsd_schedule: warmup, a stable phase at the peak lr, then decay.",
						"WSD: warmup, plateau, decay; give `num_training_steps` or `num_stable_steps`",
						List.of(WARMUP, required("num_decay_steps", ArgumentKind.INTEGER, "Steps of the decay phase."),
								optional("num_training_steps", ArgumentKind.INTEGER, null,
										"Total steps; gives num_stable_steps = num_training_steps - warmup - decay."),
								optional("num_stable_steps", ArgumentKind.INTEGER, null,
										"Steps at the peak lr; wins over num_training_steps."),
								choice("warmup_type", "linear", "Warmup shape.", "linear", "cosine", "1-sqrt"),
								choice("decay_type", "cosine", "Decay shape.", "linear", "cosine", "1-sqrt"),
								optional("min_lr_ratio", ArgumentKind.NUMBER, 0.0,
										"Floor as a fraction of the peak lr; the warmup starts there too."),
								HALF_CYCLES))
				// num_stable_steps wins over num_training_steps
				.lasting(ScheduleLength.sum("num_warmup_steps", "num_stable_steps", "num_decay_steps")
					.orElse(TRAINING_LENGTH))
				.takingUnits());

	private HuggingFaceSchedules() {
	}

	@SafeVarargs
	private static List<KeywordArgument> concat(List<KeywordArgument>... lists) {
		List<KeywordArgument> result = new ArrayList<>();
		for (List<KeywordArgument> list : lists) {
			result.addAll(list);
		}
		return result;
	}

	/**
	 * Builds the named schedule; {@code firstLr} is HF's
	 * {@code optimizer.defaults["lr"]}.
	 */
	static LrScheduler read(String name, ArgumentReader arguments, double firstLr) {
		EpochFunction function = switch (name) {
			case "constant" -> (t) -> 1.0;
			case "constant_with_warmup" -> constantWithWarmup(arguments);
			case "linear" -> linear(arguments);
			case "cosine" -> cosine(arguments);
			case "cosine_with_restarts" -> cosineWithRestarts(arguments);
			case "polynomial" -> polynomial(arguments, firstLr);
			case "inverse_sqrt" -> inverseSqrt(arguments);
			case "cosine_with_min_lr" -> cosineWithMinLr(arguments, firstLr);
			case "cosine_warmup_with_min_lr" -> cosineWarmupWithMinLr(arguments, firstLr);
			case "warmup_stable_decay" -> warmupStableDecay(arguments);
			default -> throw new IllegalArgumentException(name);
		};
		// only these two divide by what the arguments give or take a square root: the
		// others never raise, so a fast-forward need not evaluate the epochs in between
		boolean raises = name.equals("polynomial") || name.equals("inverse_sqrt");
		return new LambdaLR(name, List.of(raises ? function : EpochFunction.total(function)), arguments.normalized());
	}

	private static EpochFunction constantWithWarmup(ArgumentReader arguments) {
		long w = steps(arguments, "num_warmup_steps");
		return (t) -> (t < w) ? warmup(t, w) : 1.0;
	}

	private static EpochFunction linear(ArgumentReader arguments) {
		long w = steps(arguments, "num_warmup_steps");
		long total = steps(arguments, "num_training_steps");
		return (t) -> (t < w) ? warmup(t, w) : Py.max(0.0, (double) (total - t) / Math.max(1, total - w));
	}

	private static EpochFunction cosine(ArgumentReader arguments) {
		long w = steps(arguments, "num_warmup_steps");
		long total = steps(arguments, "num_training_steps");
		double cycles = arguments.real("num_cycles");
		return (t) -> (t < w) ? warmup(t, w) : Py.max(0.0, halfCosine(cycles, progress(t, w, total)));
	}

	private static EpochFunction cosineWithRestarts(ArgumentReader arguments) {
		long w = steps(arguments, "num_warmup_steps");
		long total = steps(arguments, "num_training_steps");
		double cycles = arguments.real("num_cycles");
		return (t) -> {
			if (t < w) {
				return warmup(t, w);
			}
			double p = progress(t, w, total);
			if (p >= 1.0) {
				return 0.0;
			}
			return Py.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * Py.mod(cycles * p, 1.0))));
		};
	}

	private static EpochFunction polynomial(ArgumentReader arguments, double lrInit) {
		long w = steps(arguments, "num_warmup_steps");
		long total = steps(arguments, "num_training_steps");
		double lrEnd = arguments.real("lr_end");
		double power = arguments.real("power");
		if (!(lrInit > lrEnd)) {
			throw arguments.invalid("lr_end",
					"lr_end (" + lrEnd + ") must be smaller than initial lr (" + lrInit + ")");
		}
		return (t) -> {
			if (t < w) {
				return warmup(t, w);
			}
			if (t > total) {
				return Py.div(lrEnd, lrInit);
			}
			double remaining = 1 - Py.div(t - w, total - w);
			return Py.div((lrInit - lrEnd) * Py.pow(remaining, power) + lrEnd, lrInit);
		};
	}

	private static EpochFunction inverseSqrt(ArgumentReader arguments) {
		long w = steps(arguments, "num_warmup_steps");
		Long given = arguments.optionalInteger("timescale", false);
		long timescale = (given != null) ? given : ((w != 0) ? w : 10_000);
		arguments.put("timescale", timescale);
		long shift = timescale - w;
		return (t) -> {
			if (t < w) {
				return warmup(t, w);
			}
			double ratio = Py.div(t + shift, timescale);
			if (ratio < 0) {
				throw Py.refused("math domain error");
			}
			return Py.div(1.0, Math.sqrt(ratio));
		};
	}

	private static EpochFunction cosineWithMinLr(ArgumentReader arguments, double lrInit) {
		long w = steps(arguments, "num_warmup_steps");
		long total = steps(arguments, "num_training_steps");
		double cycles = arguments.real("num_cycles");
		double rate = minLrRate(arguments, lrInit);
		return (t) -> (t < w) ? warmup(t, w)
				: Py.max(0.0, halfCosine(cycles, progress(t, w, total)) * (1 - rate) + rate);
	}

	private static EpochFunction cosineWarmupWithMinLr(ArgumentReader arguments, double lrInit) {
		long w = steps(arguments, "num_warmup_steps");
		long total = steps(arguments, "num_training_steps");
		double cycles = arguments.real("num_cycles");
		double rate = minLrRate(arguments, lrInit);
		Double warmupRate = arguments.optionalReal("warmup_lr_rate");
		return (t) -> {
			if (t < w) {
				if (warmupRate == null) {
					return (double) (t + 1) / Math.max(1, w);
				}
				return warmupRate + (1.0 - warmupRate) * t / Math.max(1, w - 1);
			}
			double p = (double) (t - w + 1) / Math.max(1, total - w);
			return Py.max(0.0, halfCosine(cycles, p) * (1.0 - rate) + rate);
		};
	}

	private static EpochFunction warmupStableDecay(ArgumentReader arguments) {
		long w = steps(arguments, "num_warmup_steps");
		long decay = steps(arguments, "num_decay_steps");
		Long total = arguments.optionalInteger("num_training_steps", false);
		Long stable = arguments.optionalInteger("num_stable_steps", false);
		String warmupType = arguments.string("warmup_type");
		String decayType = arguments.string("decay_type");
		double minRatio = arguments.real("min_lr_ratio");
		double cycles = arguments.real("num_cycles");
		if (total == null && stable == null) {
			throw arguments.invalid("num_training_steps",
					"Either num_training_steps or num_stable_steps must be specified.");
		}
		checkShape(arguments, "warmup_type", warmupType, "Unknown warmup type: ");
		checkShape(arguments, "decay_type", decayType, "Unknown decay type: ");
		long stableSteps = (stable != null) ? stable : total - w - decay;
		return (t) -> {
			if (t < w) {
				double p = (double) t / Math.max(1, w);
				double raw = switch (warmupType) {
					case "linear" -> p;
					case "cosine" -> 0.5 * (1.0 - Math.cos(Math.PI * p));
					default -> 1.0 - Math.sqrt(1.0 - p);
				};
				return Py.max(0.0, raw * (1.0 - minRatio) + minRatio);
			}
			if (t < w + stableSteps) {
				return 1.0;
			}
			if (t < w + stableSteps + decay) {
				double p = (double) (t - w - stableSteps) / Math.max(1, decay);
				double raw = switch (decayType) {
					case "linear" -> 1.0 - p;
					case "cosine" -> 0.5 * (1.0 + Math.cos(Math.PI * cycles * 2.0 * p));
					default -> 1.0 - Math.sqrt(p);
				};
				return Py.max(0.0, raw * (1.0 - minRatio) + minRatio);
			}
			return minRatio;
		};
	}

	private static void checkShape(ArgumentReader arguments, String name, String value, String message) {
		if (!value.equals("linear") && !value.equals("cosine") && !value.equals("1-sqrt")) {
			throw arguments.invalid(name, message + value + "; expected linear, cosine or 1-sqrt");
		}
	}

	/**
	 * {@code min_lr_rate}, or {@code min_lr / lr_init}: exactly one of the two; the
	 * division raises at construction when the first group's lr is 0.
	 */
	private static double minLrRate(ArgumentReader arguments, double lrInit) {
		Double minLr = arguments.optionalReal("min_lr");
		Double rate = arguments.optionalReal("min_lr_rate");
		if (minLr != null && rate != null) {
			throw arguments.invalid("min_lr", "Only one of min_lr or min_lr_rate should be set");
		}
		if (minLr == null && rate == null) {
			throw arguments.invalid("min_lr", "One of min_lr or min_lr_rate should be set");
		}
		if (minLr == null) {
			return rate;
		}
		if (lrInit == 0.0) {
			// HF computes min_lr / optimizer.defaults["lr"] before it builds the LambdaLR
			throw arguments.invalid("min_lr", "Hugging Face divides min_lr by the first group's lr, which is 0:"
					+ " ZeroDivisionError: float division by zero; give min_lr_rate instead");
		}
		return minLr / lrInit;
	}

	/**
	 * A required step count; HF's get_scheduler raises ValueError when it is missing.
	 * Negative counts are taken, as HF takes them: a negative warmup is never reached,
	 * and the {@code max(1, ...)} guards and Python's divisions apply as they are.
	 */
	private static long steps(ArgumentReader arguments, String name) {
		Long value = arguments.optionalInteger(name, false);
		if (value == null) {
			throw arguments.invalid(name,
					arguments.normalized().get("type") + " requires `" + name + "`, please provide that argument.");
		}
		return value;
	}

	private static double warmup(long t, long w) {
		return (double) t / Math.max(1, w);
	}

	private static double progress(long t, long w, long total) {
		return (double) (t - w) / Math.max(1, total - w);
	}

	private static double halfCosine(double cycles, double p) {
		return 0.5 * (1.0 + Math.cos(Math.PI * cycles * 2.0 * p));
	}

}
