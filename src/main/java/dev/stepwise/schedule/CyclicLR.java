package dev.stepwise.schedule;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Progress;

import static dev.stepwise.schedule.KeywordArgument.choice;
import static dev.stepwise.schedule.KeywordArgument.optional;
import static dev.stepwise.schedule.KeywordArgument.required;

/**
 * {@code CyclicLR(optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None,
 * mode='triangular', gamma=1.0, scale_fn=None, scale_mode='cycle', cycle_momentum=True,
 * base_momentum=0.8, max_momentum=0.9)} (Smith, "Cyclical Learning Rates", 2017).
 * Absolute in {@code e}: {@code cycle = floor(1 + e/total)},
 * {@code x = 1 + e/total - cycle}, {@code s = x/ratio} if {@code x <= ratio} else
 * {@code (x-1)/(ratio-1)}, {@code lr = base + (max - base)·s·scale},
 * {@code momentum = max_m - (max_m - base_m)·s·scale}, where scale is 1 (triangular),
 * {@code 1/2^(cycle-1)} (triangular2), {@code γ^e} (exp_range) or the {@code scale_fn}
 * expression over {@code x} (cycle or iteration, by {@code scale_mode}). Construction
 * overwrites every group's lr with {@code base_lr} and momentum with
 * {@code max_momentum}.
 *
 * @param baseLrs lower bound per group
 * @param maxLrs upper bound per group
 * @param totalSize {@code step_size_up + step_size_down}
 * @param stepRatio {@code step_size_up / total_size}
 * @param scale the amplitude scaling function
 * @param scaleByCycle whether it is evaluated on the cycle (else on the iteration)
 * @param cycleMomentum whether momentum is cycled
 * @param baseMomentums lower momentum bound per group
 * @param maxMomentums upper momentum bound per group
 * @param arguments the normalised arguments
 * @see <a href=
 * "https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.CyclicLR.html">torch.optim.lr_scheduler.CyclicLR</a>
 */
record CyclicLR(double[] baseLrs, double[] maxLrs, double totalSize, double stepRatio, EpochFunction scale,
		boolean scaleByCycle, boolean cycleMomentum, double[] baseMomentums, double[] maxMomentums,
		Map<String, @Nullable Object> arguments) implements Chainable {

	/** Whether CyclicLR and OneCycleLR cycle the momentum. */
	static final KeywordArgument CYCLE_MOMENTUM = optional("cycle_momentum", ArgumentKind.BOOLEAN, true,
			"Whether momentum (or Adam's beta1) is cycled inversely to the lr; then every param group needs a momentum.");

	static final SchedulerType TYPE = SchedulerType.torch("CyclicLR",
			"Cycles the lr between base_lr and max_lr (and momentum inversely).",
			"cycles between `base_lr` and `max_lr`; `scale_fn` is an expression over `x`; momentum cycles inversely",
			required("base_lr", ArgumentKind.NUMBER_OR_LIST,
					"Lower lr boundary; replaces the group's lr at registration." + KeywordArgument.PER_GROUP),
			required("max_lr", ArgumentKind.NUMBER_OR_LIST, "Upper lr boundary." + KeywordArgument.PER_GROUP),
			optional("step_size_up", ArgumentKind.INTEGER, 2000L, "Steps in the increasing half of a cycle."),
			optional("step_size_down", ArgumentKind.INTEGER, null,
					"Steps in the decreasing half of a cycle; null: step_size_up."),
			choice("mode", "triangular", "Amplitude policy; ignored when scale_fn is given.", "triangular",
					"triangular2", "exp_range"),
			optional("gamma", ArgumentKind.NUMBER, 1.0,
					"Constant of exp_range: the amplitude scales by gamma ** step."),
			optional("scale_fn", ArgumentKind.EXPRESSION, null,
					"Custom amplitude policy, an expression in x with values in [0, 1]; overrides mode."),
			choice("scale_mode", "cycle", "Whether scale_fn takes the cycle number or the step.", "cycle",
					"iterations"),
			CYCLE_MOMENTUM,
			optional("base_momentum", ArgumentKind.NUMBER_OR_LIST, 0.8,
					"Lower momentum boundary." + KeywordArgument.PER_GROUP),
			optional("max_momentum", ArgumentKind.NUMBER_OR_LIST, 0.9,
					"Upper momentum boundary." + KeywordArgument.PER_GROUP));

	static CyclicLR read(ArgumentReader arguments) {
		double[] baseLrs = arguments.reals("base_lr");
		double[] maxLrs = arguments.reals("max_lr");
		long up = arguments.integer("step_size_up", false);
		Long downArgument = arguments.optionalInteger("step_size_down", false);
		double down = (downArgument != null) ? downArgument : up;
		// float arithmetic as in PyTorch: negative sizes are taken, a zero total is
		// ZeroDivisionError at construction
		double totalSize = up + down;
		if (totalSize == 0) {
			throw arguments.invalid("step_size_up",
					"step_size_up + step_size_down must not be 0 (float division by zero)");
		}
		String mode = arguments.string("mode");
		double gamma = arguments.real("gamma");
		String scaleFunction = arguments.optionalExpression("scale_fn");
		String scaleMode = arguments.string("scale_mode");
		if (!scaleMode.equals("cycle") && !scaleMode.equals("iterations")) {
			throw arguments.invalid("scale_mode",
					"scale_mode must be 'cycle' or 'iterations', got '" + scaleMode + "'");
		}
		EpochFunction scale;
		boolean byCycle;
		if (scaleFunction != null) {
			scale = EpochFunction.parse(arguments, "scale_fn", scaleFunction, "x");
			byCycle = scaleMode.equals("cycle");
		}
		else {
			switch (mode) {
				case "triangular" -> {
					scale = EpochFunction.total((x) -> 1.0);
					byCycle = true;
				}
				case "triangular2" -> {
					// raises only past the doubles' exponent range, on either side
					scale = EpochFunction.convex((x) -> Py.div(1, Py.pow(2.0, x - 1)));
					byCycle = true;
				}
				case "exp_range" -> {
					// on epochs >= 1, raises (overflows) from some epoch on or never
					scale = EpochFunction.convex((x) -> Py.pow(gamma, x));
					byCycle = false;
				}
				default -> throw arguments.invalid("mode", "mode is invalid and scale_fn is None");
			}
		}
		boolean cycleMomentum = arguments.bool("cycle_momentum");
		double[] baseMomentums = arguments.reals("base_momentum");
		double[] maxMomentums = arguments.reals("max_momentum");
		return new CyclicLR(baseLrs, maxLrs, totalSize, up / totalSize, scale, byCycle, cycleMomentum, baseMomentums,
				maxMomentums, arguments.normalized());
	}

	@Override
	public String type() {
		return "CyclicLR";
	}

	@Override
	public boolean cyclesMomentum() {
		return this.cycleMomentum;
	}

	@Override
	public NodeState construct(Optimizer optimizer) {
		optimizer.writeLr(this.baseLrs.clone());
		if (this.cycleMomentum) {
			optimizer.editKeys();
			for (int i = 0; i < optimizer.size(); i++) {
				optimizer.momentum[i] = this.maxMomentums[i];
				optimizer.maxMomentum[i] = this.maxMomentums[i];
				optimizer.baseMomentum[i] = this.baseMomentums[i];
			}
		}
		// The initial step runs with base_lrs = initial_lr; the arguments replace them
		// afterwards.
		Progress progress = (Progress) Chainable.super.construct(optimizer);
		return new Progress(progress.lastEpoch(), progress.stepCount(), this.baseLrs.clone(), progress.lastLr());
	}

	@Override
	public long weight() {
		return 1 + this.scale.size();
	}

	/**
	 * The lr and momentum at an epoch depend on the epoch alone, so a fast-forward jumps.
	 * Only the amplitude function may raise: one that never does is skipped, one that
	 * raises only outside an interval (triangular2, exp_range) is checked at the two ends
	 * of the arguments on the way (stepped when one raises), any other is evaluated at
	 * every argument on the way, in order (the cycles are consecutive integers, since a
	 * cycle has at least one step).
	 */
	@Override
	public long jumpCost(Progress progress, long steps) {
		if (this.stepRatio == 0 || this.stepRatio == 1) {
			return -1;
		}
		long first = argument(progress.lastEpoch() + 1);
		long last = argument(progress.lastEpoch() + steps);
		if (this.scale.total()) {
			return weight();
		}
		if (this.scale.convex()) {
			try {
				this.scale.apply(first);
				this.scale.apply(last);
				return weight();
			}
			catch (StepException | ArithmeticException ex) {
				return -1;
			}
		}
		return LrScheduler.plus(weight(), LrScheduler.work(Math.abs(last - first) + 1, this.scale.size()));
	}

	@Override
	public Progress jump(Progress progress, Optimizer optimizer, long steps) {
		long to = progress.lastEpoch() + steps;
		if (!this.scale.convex()) {
			long first = argument(progress.lastEpoch() + 1);
			long last = argument(to);
			long direction = (last >= first) ? 1 : -1;
			for (long x = first; x != last; x += direction) {
				this.scale.apply(x);
			}
		}
		return Chainable.jumped(progress, steps, lr(progress.withLastEpoch(to), optimizer, false), optimizer);
	}

	/** What the amplitude function takes at {@code epoch}: the cycle or the epoch. */
	private long argument(long epoch) {
		return this.scaleByCycle ? (long) Math.floor(1 + epoch / this.totalSize) : epoch;
	}

	@Override
	public double[] lr(Progress progress, Optimizer optimizer, boolean initial) {
		long epoch = progress.lastEpoch();
		double cycle = Math.floor(1 + epoch / this.totalSize);
		double x = 1.0 + epoch / this.totalSize - cycle;
		double scaleFactor = (x <= this.stepRatio) ? Py.div(x, this.stepRatio) : Py.div(x - 1, this.stepRatio - 1);
		double scaled = this.scale.apply(this.scaleByCycle ? (long) cycle : epoch);
		double[] base = progress.baseLrs();
		double[] values = new double[base.length];
		for (int i = 0; i < values.length; i++) {
			double baseHeight = (this.maxLrs[i] - base[i]) * scaleFactor;
			values[i] = base[i] + baseHeight * scaled;
		}
		if (this.cycleMomentum) {
			for (int i = 0; i < values.length; i++) {
				double baseHeight = (this.maxMomentums[i] - this.baseMomentums[i]) * scaleFactor;
				optimizer.momentum[i] = this.maxMomentums[i] - baseHeight * scaled;
			}
		}
		return values;
	}

}
