package dev.stepwise.schedule;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Progress;

import static dev.stepwise.schedule.KeywordArgument.optional;

/**
 * {@code ConstantLR(optimizer, factor=1/3, total_iters=5)}: chainable {@code lr · factor}
 * at epoch 0, {@code lr · (1/factor)} at {@code total_iters}, else unchanged; closed form
 * {@code base_lr · (factor + [last_epoch >= total_iters] · (1 - factor))}. {@code factor}
 * must lie in [0, 1]; a factor of 0 fails at {@code total_iters} as in PyTorch;
 * {@code total_iters=0} keeps the factor forever on the chainable path.
 *
 * @param factor the multiplier until the milestone
 * @param totalIters the milestone
 * @param arguments the normalised arguments
 * @see <a href=
 * "https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.ConstantLR.html">torch.optim.lr_scheduler.ConstantLR</a>
 */
record ConstantLR(double factor, long totalIters, Map<String, @Nullable Object> arguments) implements Chainable {

	static final SchedulerType TYPE = SchedulerType
		.torch("ConstantLR", "Multiplies the lr by factor until total_iters steps have been taken.",
				"`base_lr · factor` until `total_iters`",
				optional("factor", ArgumentKind.NUMBER, 1.0 / 3, "Factor applied until total_iters; in [0, 1]."),
				optional("total_iters", ArgumentKind.INTEGER, 5L, "Number of steps the factor applies."))
		.lasting(ScheduleLength.argument("total_iters"));

	static ConstantLR read(ArgumentReader arguments) {
		double factor = arguments.real("factor");
		long totalIters = arguments.integer("total_iters", false);
		if (factor > 1.0 || factor < 0) {
			throw arguments.invalid("factor", "Constant multiplicative factor expected to be between 0 and 1.");
		}
		return new ConstantLR(factor, totalIters, arguments.normalized());
	}

	@Override
	public String type() {
		return "ConstantLR";
	}

	@Override
	public double[] lr(Progress progress, Optimizer optimizer, boolean initial) {
		long epoch = progress.lastEpoch();
		if (epoch == 0) {
			return Chainable.scaled(optimizer, this.factor);
		}
		if (epoch != this.totalIters) {
			return Chainable.unchanged(optimizer);
		}
		return Chainable.scaled(optimizer, Py.div(1.0, this.factor));
	}

	/**
	 * Exact in one go: the lr changes at most once after epoch 0, at {@code total_iters}.
	 */
	@Override
	public long jumpCost(Progress progress, long steps) {
		return (progress.lastEpoch() >= 0) ? 1 : -1;
	}

	@Override
	public Progress jump(Progress progress, Optimizer optimizer, long steps) {
		long to = progress.lastEpoch() + steps;
		boolean reached = progress.lastEpoch() < this.totalIters && this.totalIters <= to;
		double[] values = reached ? Chainable.scaled(optimizer, Py.div(1.0, this.factor))
				: Chainable.unchanged(optimizer);
		return Chainable.jumped(progress, steps, values, optimizer);
	}

	@Override
	public double[] closedFormLr(Progress progress) {
		double reached = (progress.lastEpoch() >= this.totalIters) ? 1 : 0;
		return Chainable.times(progress.baseLrs(), this.factor + reached * (1 - this.factor));
	}

}
