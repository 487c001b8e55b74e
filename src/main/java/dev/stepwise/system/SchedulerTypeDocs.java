package dev.stepwise.system;
import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The documentation of every scheduler type the API takes: each argument with its JSON type, its
 * default (PyTorch's or Hugging Face's) and its meaning. The OpenAPI document is generated from it.
 */
public final class SchedulerTypeDocs {

	private static final String PER_GROUP = " A number for every group or a list with one per group.";

	private static final Argument GAMMA = optional("gamma", ArgType.NUMBER, 0.1, "Multiplicative factor of lr decay.");

	private static final Argument ETA_MIN = optional("eta_min", ArgType.NUMBER, 0.0, "Minimum learning rate.");

	private static final Argument CYCLE_MOMENTUM = optional("cycle_momentum", ArgType.BOOLEAN, true,
			"Whether momentum (or Adam's beta1) is cycled inversely to the lr; then every param group needs a momentum.");

	private static final Argument WARMUP = required("num_warmup_steps", ArgType.INTEGER,
			"Steps of linear warmup from 0 to the group's lr.");

	private static final Argument TRAINING = required("num_training_steps", ArgType.INTEGER,
			"Total number of training steps.");

	private static final Argument HALF_CYCLES = optional("num_cycles", ArgType.NUMBER, 0.5,
			"Number of cosine waves (0.5: half a cosine, from the peak down to the floor).");

	private static final List<Argument> MIN_LR = List.of(
			optional("min_lr", ArgType.NUMBER, null,
					"Floor lr, relative to the first group's lr (HF's optimizer.defaults[\"lr\"]); give exactly one of"
							+ " min_lr and min_lr_rate."),
			optional("min_lr_rate", ArgType.NUMBER, null, "Floor as a fraction of each group's initial lr."));

	private static final List<Argument> PLATEAU = List.of(
			optional("mode", ArgType.enumOf("min", "max"), "min",
					"Whether the metric should decrease (min) or increase (max)."),
			optional("factor", ArgType.NUMBER, 0.1, "Factor the lr is multiplied by on a plateau; < 1."),
			optional("patience", ArgType.INTEGER, 10L, "Steps without improvement tolerated before reducing the lr."),
			optional("threshold", ArgType.NUMBER, 1e-4, "Minimal change that counts as an improvement."),
			optional("threshold_mode", ArgType.enumOf("rel", "abs"), "rel",
					"Whether threshold is relative to the best value (rel) or absolute (abs)."),
			optional("cooldown", ArgType.INTEGER, 0L, "Steps to wait after a reduction before counting bad steps again."),
			optional("min_lr", ArgType.NUMBER_OR_LIST, 0.0, "Lower bound of the lr." + PER_GROUP),
			optional("eps", ArgType.NUMBER, 1e-8, "A reduction smaller than eps is ignored."));

	private static final List<TypeDoc> TYPES = List.of(
			torch("LambdaLR", "lr = base_lr * lr_lambda(epoch), from the base lr at every step.",
					required("lr_lambda", ArgType.EXPRESSION_OR_LIST,
							"Expression in epoch giving the factor; one for every group or a list with one per group.")),
			torch("MultiplicativeLR", "lr = lr * lr_lambda(epoch) at every step after construction.",
					required("lr_lambda", ArgType.EXPRESSION_OR_LIST,
							"Expression in epoch giving the factor the current lr is multiplied by; one for every group"
									+ " or a list with one per group.")),
			torch("StepLR", "Decays the lr by gamma every step_size epochs.",
					required("step_size", ArgType.INTEGER, "Period of lr decay, in epochs."), GAMMA),
			torch("MultiStepLR", "Decays the lr by gamma at each milestone.",
					required("milestones", ArgType.INTEGER_LIST,
							"Epochs at which the lr decays; a repeated milestone decays once per repetition."),
					GAMMA),
			torch("ConstantLR", "Multiplies the lr by factor until total_iters steps have been taken.",
					optional("factor", ArgType.NUMBER, 1.0 / 3, "Factor applied until total_iters; in [0, 1]."),
					optional("total_iters", ArgType.INTEGER, 5L, "Number of steps the factor applies.")),
			torch("LinearLR", "Changes the lr factor linearly from start_factor to end_factor over total_iters steps.",
					optional("start_factor", ArgType.NUMBER, 1.0 / 3, "Factor at epoch 0; in (0, 1]."),
					optional("end_factor", ArgType.NUMBER, 1.0, "Factor from total_iters on; in [0, 1]."),
					optional("total_iters", ArgType.INTEGER, 5L, "Steps of the linear change.")),
			torch("ExponentialLR", "Decays the lr by gamma every step.",
					required("gamma", ArgType.NUMBER, "Multiplicative factor of lr decay.")),
			torch("SequentialLR", "Runs the schedulers one after another, switching at the milestones.",
					required("schedulers", ArgType.SCHEDULERS,
							"The schedulers (nested specs without optimizer; no ReduceLROnPlateau)."),
					required("milestones", ArgType.INTEGER_LIST,
							"Epochs at which the next scheduler takes over; one fewer than schedulers.")),
			torch("PolynomialLR", "Decays the lr polynomially to 0 over total_iters steps.",
					optional("total_iters", ArgType.INTEGER, 5L, "Steps of the decay."),
					optional("power", ArgType.NUMBER, 1.0, "Power of the polynomial.")),
			torch("CosineAnnealingLR", "Anneals the lr along a cosine from the base lr to eta_min over T_max steps.",
					required("T_max", ArgType.INTEGER, "Half period: steps from the base lr down to eta_min."), ETA_MIN),
			torch("ChainedScheduler", "Steps every scheduler at every step, in list order; their effects compose.",
					required("schedulers", ArgType.SCHEDULERS,
							"The schedulers (nested specs without optimizer; no ReduceLROnPlateau).")),
			torch("ReduceLROnPlateau", "Reduces the lr when the metric stops improving; every step needs a metric.",
					PLATEAU.toArray(Argument[]::new)),
			torch("CyclicLR", "Cycles the lr between base_lr and max_lr (and momentum inversely).",
					required("base_lr", ArgType.NUMBER_OR_LIST,
							"Lower lr boundary; replaces the group's lr at registration." + PER_GROUP),
					required("max_lr", ArgType.NUMBER_OR_LIST, "Upper lr boundary." + PER_GROUP),
					optional("step_size_up", ArgType.INTEGER, 2000L, "Steps in the increasing half of a cycle."),
					optional("step_size_down", ArgType.INTEGER, null,
							"Steps in the decreasing half of a cycle; null: step_size_up."),
					optional("mode", ArgType.enumOf("triangular", "triangular2", "exp_range"), "triangular",
							"Amplitude policy; ignored when scale_fn is given."),
					optional("gamma", ArgType.NUMBER, 1.0, "Constant of exp_range: the amplitude scales by gamma ** step."),
					optional("scale_fn", ArgType.EXPRESSION, null,
							"Custom amplitude policy, an expression in x with values in [0, 1]; overrides mode."),
					optional("scale_mode", ArgType.enumOf("cycle", "iterations"), "cycle",
							"Whether scale_fn takes the cycle number or the step."),
					CYCLE_MOMENTUM,
					optional("base_momentum", ArgType.NUMBER_OR_LIST, 0.8, "Lower momentum boundary." + PER_GROUP),
					optional("max_momentum", ArgType.NUMBER_OR_LIST, 0.9, "Upper momentum boundary." + PER_GROUP)),
			torch("CosineAnnealingWarmRestarts",
					"Cosine annealing with warm restarts every T_i steps; also takes fractional epochs.",
					required("T_0", ArgType.INTEGER, "Steps until the first restart; a positive integer."),
					optional("T_mult", ArgType.INTEGER, 1L, "Factor T_i grows by after a restart; an integer >= 1."),
					ETA_MIN),
			torch("OneCycleLR", "The 1cycle policy: warm up to max_lr, then anneal far below the initial lr.",
					required("max_lr", ArgType.NUMBER_OR_LIST, "Peak lr." + PER_GROUP),
					optional("total_steps", ArgType.INTEGER, null,
							"Steps of the cycle; else epochs * steps_per_epoch. step() may be called total_steps times."),
					optional("epochs", ArgType.INTEGER, null, "Epochs to train for (with steps_per_epoch)."),
					optional("steps_per_epoch", ArgType.INTEGER, null, "Steps per epoch (with epochs)."),
					optional("pct_start", ArgType.NUMBER, 0.3,
							"Fraction of the cycle spent raising the lr; a decimal in [0, 1] (the integer 1 is refused,"
									+ " as in PyTorch)."),
					optional("anneal_strategy", ArgType.enumOf("cos", "linear"), "cos", "Annealing strategy."),
					CYCLE_MOMENTUM,
					optional("base_momentum", ArgType.NUMBER_OR_LIST, 0.85, "Lower momentum boundary." + PER_GROUP),
					optional("max_momentum", ArgType.NUMBER_OR_LIST, 0.95, "Upper momentum boundary." + PER_GROUP),
					optional("div_factor", ArgType.NUMBER, 25.0, "initial_lr = max_lr / div_factor."),
					optional("final_div_factor", ArgType.NUMBER, 1e4, "min_lr = initial_lr / final_div_factor."),
					optional("three_phase", ArgType.BOOLEAN, false,
							"Whether a third phase anneals to min_lr after the symmetric first two.")),
			hf("constant", "get_constant_schedule: a constant lr."),
			hf("constant_with_warmup", "get_constant_schedule_with_warmup: linear warmup, then constant.", WARMUP),
			hf("linear", "get_linear_schedule_with_warmup: linear warmup, then linear decay to 0 at num_training_steps.",
					WARMUP, TRAINING),
			hf("cosine", "get_cosine_schedule_with_warmup: linear warmup, then cosine decay (not clamped after the end).",
					WARMUP, TRAINING, HALF_CYCLES),
			hf("cosine_with_restarts",
					"get_cosine_with_hard_restarts_schedule_with_warmup: linear warmup, then cosine waves with hard"
							+ " restarts; 0 after num_training_steps.",
					WARMUP, TRAINING, optional("num_cycles", ArgType.INTEGER, 1L, "Number of hard restarts.")),
			hf("polynomial",
					"get_polynomial_decay_schedule_with_warmup: linear warmup, then polynomial decay to lr_end (relative"
							+ " to the first group's lr).",
					WARMUP, TRAINING,
					optional("lr_end", ArgType.NUMBER, 1e-7, "Final lr; must be below the first group's lr."),
					optional("power", ArgType.NUMBER, 1.0, "Power of the polynomial.")),
			hf("inverse_sqrt", "get_inverse_sqrt_schedule: linear warmup, then 1 / sqrt decay.", WARMUP,
					optional("timescale", ArgType.INTEGER, null, "Decay timescale; null: num_warmup_steps or 10000.")),
			hf("reduce_lr_on_plateau", "get_reduce_on_plateau_schedule: torch's ReduceLROnPlateau.",
					PLATEAU.toArray(Argument[]::new)),
			hf("cosine_with_min_lr",
					"get_cosine_with_min_lr_schedule_with_warmup: linear warmup, then cosine decay to a floor.",
					concat(List.of(WARMUP, TRAINING, HALF_CYCLES), MIN_LR)),
			hf("cosine_warmup_with_min_lr",
					"get_cosine_with_min_lr_schedule_with_warmup_lr_rate: like cosine_with_min_lr, shifted by one step.",
					concat(List.of(WARMUP, TRAINING, HALF_CYCLES), MIN_LR,
							List.of(optional("warmup_lr_rate", ArgType.NUMBER, null,
									"Fraction of the lr the warmup starts from; null: (t + 1) / num_warmup_steps.")))),
			hf("warmup_stable_decay", "get_wsd_schedule: warmup, a stable phase at the peak lr, then decay.", WARMUP,
					required("num_decay_steps", ArgType.INTEGER, "Steps of the decay phase."),
					optional("num_training_steps", ArgType.INTEGER, null,
							"Total steps; gives num_stable_steps = num_training_steps - warmup - decay."),
					optional("num_stable_steps", ArgType.INTEGER, null,
							"Steps at the peak lr; wins over num_training_steps."),
					optional("warmup_type", ArgType.enumOf("linear", "cosine", "1-sqrt"), "linear", "Warmup shape."),
					optional("decay_type", ArgType.enumOf("linear", "cosine", "1-sqrt"), "cosine", "Decay shape."),
					optional("min_lr_ratio", ArgType.NUMBER, 0.0,
							"Floor as a fraction of the peak lr; the warmup starts there too."),
					HALF_CYCLES));

	private SchedulerTypeDocs() {
	}

	/** Every documented type: the 15 PyTorch schedulers, then the 11 Hugging Face schedules. */
	public static List<TypeDoc> types() {
		return TYPES;
	}

	private static TypeDoc torch(String type, String summary, Argument... arguments) {
		return new TypeDoc(type, "torch.optim.lr_scheduler." + type + ": " + summary, List.of(arguments));
	}

	private static TypeDoc hf(String type, String summary, Argument... arguments) {
		return new TypeDoc(type, "Hugging Face " + summary, List.of(arguments));
	}

	@SafeVarargs
	private static Argument[] concat(List<Argument>... lists) {
		return Stream.of(lists).flatMap(List::stream).toArray(Argument[]::new);
	}

	private static Argument required(String name, ArgType type, String meaning) {
		return new Argument(name, type, true, null, meaning);
	}

	private static Argument optional(String name, ArgType type, @Nullable Object defaultValue, String meaning) {
		return new Argument(name, type, false, defaultValue, meaning);
	}

	/**
	 * One scheduler type.
	 *
	 * @param type the value of {@code type}
	 * @param description what it does
	 * @param arguments its arguments
	 */
	public record TypeDoc(String type, String description, List<Argument> arguments) {

	}

	/**
	 * One argument of a scheduler type.
	 *
	 * @param name the keyword argument
	 * @param type its JSON type
	 * @param required whether it must be given
	 * @param defaultValue its default when optional ({@code null} for Python's {@code None})
	 * @param meaning what it means
	 */
	public record Argument(String name, ArgType type, boolean required, @Nullable Object defaultValue,
			String meaning) {

	}

	/**
	 * The JSON shape of an argument.
	 *
	 * @param kind the shape
	 * @param values the allowed strings, for an enumeration
	 */
	public record ArgType(Kind kind, List<String> values) {

		static final ArgType NUMBER = new ArgType(Kind.NUMBER, List.of());

		static final ArgType INTEGER = new ArgType(Kind.INTEGER, List.of());

		static final ArgType BOOLEAN = new ArgType(Kind.BOOLEAN, List.of());

		static final ArgType NUMBER_OR_LIST = new ArgType(Kind.NUMBER_OR_LIST, List.of());

		static final ArgType EXPRESSION = new ArgType(Kind.EXPRESSION, List.of());

		static final ArgType EXPRESSION_OR_LIST = new ArgType(Kind.EXPRESSION_OR_LIST, List.of());

		static final ArgType INTEGER_LIST = new ArgType(Kind.INTEGER_LIST, List.of());

		static final ArgType SCHEDULERS = new ArgType(Kind.SCHEDULERS, List.of());

		static ArgType enumOf(String... values) {
			return new ArgType(Kind.ENUM, List.of(values));
		}

	}

	/**
	 * The JSON shapes arguments take.
	 */
	public enum Kind {

		/** A JSON number. */
		NUMBER,

		/** A JSON integer. */
		INTEGER,

		/** true or false. */
		BOOLEAN,

		/** One of a few strings. */
		ENUM,

		/** A number, or a list with one number per param group. */
		NUMBER_OR_LIST,

		/** A Python expression. */
		EXPRESSION,

		/** An expression, or a list with one expression per param group. */
		EXPRESSION_OR_LIST,

		/** A list of integers. */
		INTEGER_LIST,

		/** A list of nested scheduler specs. */
		SCHEDULERS

	}

}
