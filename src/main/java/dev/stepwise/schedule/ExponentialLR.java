package dev.stepwise.schedule;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Progress;

import static dev.stepwise.schedule.KeywordArgument.required;

/**
 * {@code ExponentialLR(optimizer, gamma)}: chainable {@code lr · γ} every step (not on
 * the initial step); closed form {@code base_lr · γ^last_epoch}. {@code gamma} is not
 * range-checked, as in PyTorch (a negative γ flips the sign).
 *
 * @param gamma multiplicative factor per step
 * @param arguments the normalised arguments
 * @see <a href=
 * "https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.ExponentialLR.html">torch.optim.lr_scheduler.ExponentialLR</a>
 */
record ExponentialLR(double gamma, Map<String, @Nullable Object> arguments) implements Chainable {

	static final SchedulerType TYPE = SchedulerType.torch("ExponentialLR", "Decays the lr by gamma every step.",
			"`· gamma` every step", required("gamma", ArgumentKind.NUMBER, "Multiplicative factor of lr decay."));

	static ExponentialLR read(ArgumentReader arguments) {
		return new ExponentialLR(arguments.real("gamma"), arguments.normalized());
	}

	@Override
	public String type() {
		return "ExponentialLR";
	}

	@Override
	public double[] lr(Progress progress, Optimizer optimizer, boolean initial) {
		return initial ? Chainable.unchanged(optimizer) : Chainable.scaled(optimizer, this.gamma);
	}

	/**
	 * Every step decays: replayed up to {@link Chainable#EXACT_STEPS} steps, PyTorch's
	 * closed form beyond.
	 */
	@Override
	public long jumpCost(Progress progress, long steps) {
		return (progress.lastEpoch() < 0) ? -1 : decayCost(progress, progress.lastEpoch() + steps, steps, true);
	}

	@Override
	public Progress jump(Progress progress, Optimizer optimizer, long steps) {
		double[] values = decayed(progress, optimizer, progress.lastEpoch() + steps, this.gamma, steps, true);
		return Chainable.jumped(progress, steps, values, optimizer);
	}

	@Override
	public double[] closedFormLr(Progress progress) {
		return Chainable.times(progress.baseLrs(), Py.pow(this.gamma, progress.lastEpoch()));
	}

}
