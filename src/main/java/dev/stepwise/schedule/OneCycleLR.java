package dev.stepwise.schedule;

import java.util.Arrays;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Progress;

import static dev.stepwise.schedule.KeywordArgument.choice;
import static dev.stepwise.schedule.KeywordArgument.optional;
import static dev.stepwise.schedule.KeywordArgument.required;

/**
 * {@code OneCycleLR(optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None,
 * pct_start=0.3, anneal_strategy='cos', cycle_momentum=True, base_momentum=0.85, max_momentum=0.95,
 * div_factor=25.0, final_div_factor=1e4, three_phase=False)} (Smith and Topin,
 * "Super-Convergence", 2018). Absolute: construction forces
 * {@code initial_lr = max_lr/div_factor}, {@code min_lr = initial_lr/final_div_factor}
 * into the groups; phase ends are {@code pct·T - 1} and {@code T - 1} (three-phase:
 * {@code pct·T - 1}, {@code 2·pct·T - 2}, {@code T - 1}); within a phase
 * {@code pct = (e - start)/(end - start)} and the lr anneals from the phase's start value
 * to its end value by {@code end + (start - end)/2·(1 + cos(π·pct))} or linearly;
 * momentum moves the other way. Exactly {@code total_steps} steps are allowed (the last
 * extrapolates); the next is refused, as PyTorch raises.
 *
 * @param maxLrs peak lr per group
 * @param totalSteps the cycle's length
 * @param phaseEnds the phases' {@code end_step}
 * @param threePhase whether the three-phase variant is used
 * @param linear linear annealing (else cosine)
 * @param cycleMomentum whether momentum is cycled
 * @param baseMomentums lower momentum bound per group
 * @param maxMomentums upper momentum bound per group
 * @param divFactor {@code initial_lr = max_lr / div_factor}
 * @param finalDivFactor {@code min_lr = initial_lr / final_div_factor}
 * @param arguments the normalised arguments
 * @see <a href=
 * "https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.OneCycleLR.html">torch.optim.lr_scheduler.OneCycleLR</a>
 */
record OneCycleLR(double[] maxLrs, long totalSteps, double[] phaseEnds, boolean threePhase, boolean linear,
		boolean cycleMomentum, double[] baseMomentums, double[] maxMomentums, double divFactor, double finalDivFactor,
		Map<String, @Nullable Object> arguments) implements Chainable {

	private static final int INITIAL = 0;

	private static final int MAX = 1;

	private static final int MIN = 2;

	static final SchedulerType TYPE = SchedulerType
		.torch("OneCycleLR", "The 1cycle policy: warm up to max_lr, then anneal far below the initial lr.",
				"1cycle over `total_steps` (or `epochs · steps_per_epoch`) steps; the next step is refused (409)",
				required("max_lr", ArgumentKind.NUMBER_OR_LIST, "Peak lr." + KeywordArgument.PER_GROUP),
				optional("total_steps", ArgumentKind.INTEGER, null,
						"Steps of the cycle; else epochs * steps_per_epoch. step() may be called total_steps times."),
				optional("epochs", ArgumentKind.INTEGER, null, "Epochs to train for (with steps_per_epoch)."),
				optional("steps_per_epoch", ArgumentKind.INTEGER, null, "Steps per epoch (with epochs)."),
				optional("pct_start", ArgumentKind.NUMBER, 0.3,
						"Fraction of the cycle spent raising the lr; a decimal in [0, 1] (the integer 1 is refused,"
								+ " as in PyTorch)."),
				choice("anneal_strategy", "cos", "Annealing strategy.", "cos", "linear"), CyclicLR.CYCLE_MOMENTUM,
				optional("base_momentum", ArgumentKind.NUMBER_OR_LIST, 0.85,
						"Lower momentum boundary." + KeywordArgument.PER_GROUP),
				optional("max_momentum", ArgumentKind.NUMBER_OR_LIST, 0.95,
						"Upper momentum boundary." + KeywordArgument.PER_GROUP),
				optional("div_factor", ArgumentKind.NUMBER, 25.0, "initial_lr = max_lr / div_factor."),
				optional("final_div_factor", ArgumentKind.NUMBER, 1e4, "min_lr = initial_lr / final_div_factor."),
				optional("three_phase", ArgumentKind.BOOLEAN, false,
						"Whether a third phase anneals to min_lr after the symmetric first two."))
		.lasting(ScheduleLength.argument("total_steps").orElse(ScheduleLength.product("epochs", "steps_per_epoch")));

	static OneCycleLR read(ArgumentReader arguments) {
		double[] maxLrs = arguments.reals("max_lr");
		Long total = arguments.optionalInteger("total_steps", true);
		Long epochs = arguments.optionalInteger("epochs", true);
		Long stepsPerEpoch = arguments.optionalInteger("steps_per_epoch", true);
		long totalSteps;
		if (total != null) {
			if (total <= 0) {
				throw arguments.invalid("total_steps", "Expected positive integer total_steps, but got " + total);
			}
			totalSteps = total;
		}
		else if (epochs != null && stepsPerEpoch != null) {
			if (epochs <= 0) {
				throw arguments.invalid("epochs", "Expected positive integer epochs, but got " + epochs);
			}
			if (stepsPerEpoch <= 0) {
				throw arguments.invalid("steps_per_epoch",
						"Expected positive integer steps_per_epoch, but got " + stepsPerEpoch);
			}
			if (epochs > Long.MAX_VALUE / stepsPerEpoch) {
				throw arguments.invalid("epochs", "epochs * steps_per_epoch is larger than " + Long.MAX_VALUE);
			}
			totalSteps = epochs * stepsPerEpoch;
		}
		else {
			throw arguments.invalid("total_steps",
					"You must define either total_steps OR (epochs AND steps_per_epoch)");
		}
		double pctStart = arguments.real("pct_start");
		if (pctStart < 0 || pctStart > 1 || arguments.isInteger("pct_start")) {
			throw arguments.invalid("pct_start", "Expected float between 0 and 1 pct_start, but got "
					+ (arguments.isInteger("pct_start") ? String.valueOf((long) pctStart) : String.valueOf(pctStart)));
		}
		String strategy = arguments.string("anneal_strategy");
		if (!strategy.equals("cos") && !strategy.equals("linear")) {
			throw arguments.invalid("anneal_strategy",
					"anneal_strategy must be one of 'cos' or 'linear', instead got " + strategy);
		}
		boolean cycleMomentum = arguments.bool("cycle_momentum");
		double[] baseMomentums = arguments.reals("base_momentum");
		double[] maxMomentums = arguments.reals("max_momentum");
		double divFactor = arguments.real("div_factor");
		double finalDivFactor = arguments.real("final_div_factor");
		boolean threePhase = arguments.bool("three_phase");
		if (divFactor == 0 || finalDivFactor == 0) {
			throw arguments.invalid((divFactor == 0) ? "div_factor" : "final_div_factor",
					"must not be 0 (float division by zero)");
		}
		double[] ends = threePhase
				? new double[] { pctStart * totalSteps - 1, 2 * pctStart * totalSteps - 2, totalSteps - 1 }
				: new double[] { pctStart * totalSteps - 1, totalSteps - 1 };
		return new OneCycleLR(maxLrs, totalSteps, ends, threePhase, strategy.equals("linear"), cycleMomentum,
				baseMomentums, maxMomentums, divFactor, finalDivFactor, arguments.normalized());
	}

	@Override
	public String type() {
		return "OneCycleLR";
	}

	@Override
	public boolean cyclesMomentum() {
		return this.cycleMomentum;
	}

	/**
	 * 2, or 3 with momentum: every group computes a cosine for its lr and one for its
	 * momentum, where the other types share theirs.
	 */
	@Override
	public long weight() {
		return this.cycleMomentum ? 3 : 2;
	}

	@Override
	public NodeState construct(Optimizer optimizer) {
		optimizer.editKeys();
		for (int i = 0; i < optimizer.size(); i++) {
			optimizer.initialLr[i] = this.maxLrs[i] / this.divFactor;
			optimizer.maxLr[i] = this.maxLrs[i];
			optimizer.minLr[i] = optimizer.initialLr[i] / this.finalDivFactor;
			if (this.cycleMomentum) {
				optimizer.momentum[i] = this.maxMomentums[i];
				optimizer.maxMomentum[i] = this.maxMomentums[i];
				optimizer.baseMomentum[i] = this.baseMomentums[i];
			}
		}
		return Chainable.super.construct(optimizer);
	}

	@Override
	public double[] lr(Progress progress, Optimizer optimizer, boolean initial) {
		long step = progress.lastEpoch();
		if (step > this.totalSteps) {
			throw new StepException(StepException.Reason.REFUSED,
					"Tried to step " + step + " times. The specified number of total steps is " + this.totalSteps);
		}
		int phase = 0;
		double start = 0.0;
		while (phase < this.phaseEnds.length - 1 && step > this.phaseEnds[phase]) {
			start = this.phaseEnds[phase];
			phase++;
		}
		double pct = Py.div(step - start, this.phaseEnds[phase] - start);
		double[] values = new double[optimizer.size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = anneal(lrKey(optimizer, phase, true, i), lrKey(optimizer, phase, false, i), pct);
			if (this.cycleMomentum) {
				optimizer.momentum[i] = anneal(momentumKey(optimizer, phase, true, i),
						momentumKey(optimizer, phase, false, i), pct);
			}
		}
		return values;
	}

	/**
	 * The lr and momentum at an epoch depend on the epoch alone, so a fast-forward jumps.
	 * Whether a step raises depends only on which phase its epoch is in (a phase of zero
	 * length divides by zero) and on {@code total_steps}, so the epochs where that can
	 * change are the only ones checked, in order, for the error stepping would raise
	 * first.
	 */
	@Override
	public long jumpCost(Progress progress, long steps) {
		return 1 + this.phaseEnds.length;
	}

	@Override
	public Progress jump(Progress progress, Optimizer optimizer, long steps) {
		long from = progress.lastEpoch();
		long to = from + steps;
		long[] candidates = new long[this.phaseEnds.length + 2];
		candidates[0] = from + 1;
		candidates[1] = LrScheduler.plus(this.totalSteps, 1);
		for (int i = 0; i < this.phaseEnds.length; i++) {
			candidates[i + 2] = (long) Math.floor(this.phaseEnds[i]) + 1;
		}
		Arrays.sort(candidates);
		Optimizer scratch = new Optimizer(optimizer.freeze());
		for (long epoch : candidates) {
			if (epoch > from && epoch < to) {
				lr(progress.withLastEpoch(epoch), scratch, false);
			}
		}
		return Chainable.jumped(progress, steps, lr(progress.withLastEpoch(to), optimizer, false), optimizer);
	}

	private double anneal(double start, double end, double pct) {
		if (this.linear) {
			return (end - start) * pct + start;
		}
		double cosOut = Math.cos(Math.PI * pct) + 1;
		return end + (start - end) / 2.0 * cosOut;
	}

	/**
	 * The group key a phase starts or ends at: initial_lr → max_lr → (initial_lr →)
	 * min_lr.
	 */
	private double lrKey(Optimizer optimizer, int phase, boolean start, int group) {
		int key = switch (phase) {
			case 0 -> start ? INITIAL : MAX;
			case 1 -> start ? MAX : (this.threePhase ? INITIAL : MIN);
			default -> start ? INITIAL : MIN;
		};
		return switch (key) {
			case INITIAL -> optimizer.initialLr[group];
			case MAX -> optimizer.maxLr[group];
			default -> optimizer.minLr[group];
		};
	}

	/**
	 * max_momentum → base_momentum → max_momentum (→ max_momentum in the third phase).
	 */
	private double momentumKey(Optimizer optimizer, int phase, boolean start, int group) {
		boolean base = (phase == 0) ? !start : (phase == 1 && start);
		return base ? optimizer.baseMomentum[group] : optimizer.maxMomentum[group];
	}

}
