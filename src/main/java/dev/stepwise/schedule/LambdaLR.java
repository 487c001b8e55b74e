package dev.stepwise.schedule;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Progress;

import static dev.stepwise.schedule.KeywordArgument.required;

/**
 * {@code LambdaLR(optimizer, lr_lambda)}: {@code lr = base_lr · λ(last_epoch)}, an
 * absolute rule that ignores the current lr; after construction
 * {@code lr = base_lr · λ(0)}. No closed form: an explicit epoch uses the same rule.
 * {@code lr_lambda} is one expression over {@code epoch}, or one per param group. The lr
 * at an epoch depends on the epoch alone, so a fast-forward jumps; it still evaluates
 * every function that may raise at every epoch on the way, in stepping's order, to raise
 * what stepping would.
 *
 * @param type {@code LambdaLR}, or the Hugging Face schedule it implements
 * @param lambdas one function, or one per group
 * @param arguments the normalised arguments
 * @see <a href=
 * "https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.LambdaLR.html">torch.optim.lr_scheduler.LambdaLR</a>
 */
record LambdaLR(String type, List<EpochFunction> lambdas,
		Map<String, @Nullable Object> arguments) implements Chainable {

	static final SchedulerType TYPE = SchedulerType.torch("LambdaLR",
			"lr = base_lr * lr_lambda(epoch), from the base lr at every step.",
			"`base_lr · λ(epoch)`, `lr_lambda` an expression over `epoch` (or one per group)",
			required("lr_lambda", ArgumentKind.EXPRESSION_OR_LIST,
					"Expression in epoch giving the factor; one for every group or a list with one per group."));

	static LambdaLR read(ArgumentReader arguments) {
		return new LambdaLR("LambdaLR", EpochFunction.parse(arguments, "lr_lambda", "epoch"), arguments.normalized());
	}

	/** 1, plus the largest expression a group evaluates. */
	@Override
	public long weight() {
		return 1 + largest(this.lambdas, false);
	}

	/**
	 * The largest size among {@code functions} (only those that may raise, with
	 * {@code raisingOnly}).
	 */
	static long largest(List<EpochFunction> functions, boolean raisingOnly) {
		long size = 0;
		for (EpochFunction function : functions) {
			if (!raisingOnly || !function.total()) {
				size = Math.max(size, function.size());
			}
		}
		return size;
	}

	@Override
	public long jumpCost(Progress progress, long steps) {
		return LrScheduler.plus(LrScheduler.work(steps - 1, largest(this.lambdas, true)), weight());
	}

	@Override
	public Progress jump(Progress progress, Optimizer optimizer, long steps) {
		long to = progress.lastEpoch() + steps;
		if (largest(this.lambdas, true) > 0) {
			for (long epoch = progress.lastEpoch() + 1; epoch < to; epoch++) {
				for (EpochFunction lambda : this.lambdas) {
					if (!lambda.total()) {
						lambda.apply(epoch);
					}
				}
			}
		}
		Progress next = new Progress(to, progress.stepCount() + steps, progress.baseLrs(), progress.lastLr());
		return Chainable.jumped(progress, steps, lr(next, optimizer, false), optimizer);
	}

	@Override
	public double[] lr(Progress progress, Optimizer optimizer, boolean initial) {
		double[] base = progress.baseLrs();
		double[] values = new double[base.length];
		// One function for all groups gives one value per epoch: evaluate it once.
		double shared = (this.lambdas.size() == 1) ? this.lambdas.get(0).apply(progress.lastEpoch()) : Double.NaN;
		for (int i = 0; i < values.length; i++) {
			double factor = (this.lambdas.size() == 1) ? shared : this.lambdas.get(i).apply(progress.lastEpoch());
			values[i] = base[i] * factor;
		}
		return values;
	}

}
