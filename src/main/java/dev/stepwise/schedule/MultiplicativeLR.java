package dev.stepwise.schedule;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Progress;

import static dev.stepwise.schedule.KeywordArgument.required;

/**
 * {@code MultiplicativeLR(optimizer, lr_lambda)}: {@code lr = lr · λ(last_epoch)},
 * chainable; the initial step leaves the lr unchanged. No closed form, so a SequentialLR
 * restart multiplies by {@code λ(0)} (as the newest PyTorch does; 1.13 did not). An
 * expression that does not mention {@code epoch} and raises (such as {@code 1 / 0}) is
 * refused at registration, since PyTorch would raise at every step.
 *
 * @param lambdas one function, or one per group
 * @param arguments the normalised arguments
 * @see <a href=
 * "https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.MultiplicativeLR.html">torch.optim.lr_scheduler.MultiplicativeLR</a>
 */
record MultiplicativeLR(List<EpochFunction> lambdas, Map<String, @Nullable Object> arguments) implements Chainable {

	static final SchedulerType TYPE = SchedulerType.torch("MultiplicativeLR",
			"lr = lr * lr_lambda(epoch) at every step after construction.", "`lr · λ(epoch)` each step",
			required("lr_lambda", ArgumentKind.EXPRESSION_OR_LIST,
					"Expression in epoch giving the factor the current lr is multiplied by; one for every group"
							+ " or a list with one per group."));

	static MultiplicativeLR read(ArgumentReader arguments) {
		return new MultiplicativeLR(EpochFunction.parse(arguments, "lr_lambda", "epoch", true), arguments.normalized());
	}

	@Override
	public String type() {
		return "MultiplicativeLR";
	}

	@Override
	public long weight() {
		return 1 + LambdaLR.largest(this.lambdas, false);
	}

	/** As many work units as the steps, which it replays. */
	@Override
	public long jumpCost(Progress progress, long steps) {
		return (progress.lastEpoch() < 0) ? -1 : LrScheduler.work(steps, weight());
	}

	/**
	 * The steps replayed in place: the same products in the same order as stepping, with
	 * no state per step (a stepped fast-forward of 1,388,000 allocated 85 MB of them).
	 */
	@Override
	public Progress jump(Progress progress, Optimizer optimizer, long steps) {
		double[] values = optimizer.lrs();
		long to = progress.lastEpoch() + steps;
		for (long epoch = progress.lastEpoch() + 1; epoch <= to; epoch++) {
			multiply(values, epoch);
		}
		return Chainable.jumped(progress, steps, values, optimizer);
	}

	@Override
	public double[] lr(Progress progress, Optimizer optimizer, boolean initial) {
		if (initial) {
			return Chainable.unchanged(optimizer);
		}
		double[] values = optimizer.lrs();
		multiply(values, progress.lastEpoch());
		return values;
	}

	/** {@code lr · λ(epoch)} for every group, in place. */
	private void multiply(double[] values, long epoch) {
		double shared = (this.lambdas.size() == 1) ? this.lambdas.get(0).apply(epoch) : Double.NaN;
		for (int i = 0; i < values.length; i++) {
			double factor = (this.lambdas.size() == 1) ? shared : this.lambdas.get(i).apply(epoch);
			values[i] = values[i] * factor;
		}
	}

}
