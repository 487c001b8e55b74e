package dev.stepwise.schedule;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Progress;

import static dev.stepwise.schedule.KeywordArgument.optional;
import static dev.stepwise.schedule.KeywordArgument.required;

/**
 * {@code StepLR(optimizer, step_size, gamma=0.1)}: chainable {@code lr · γ} when
 * {@code last_epoch > 0} and {@code last_epoch % step_size == 0}, else unchanged; closed
 * form {@code base_lr · γ^(last_epoch // step_size)} (Python floor division).
 * {@code step_size=0} is refused at registration: PyTorch constructs it, but every step
 * raises {@code ZeroDivisionError}. A negative {@code step_size} works as in PyTorch.
 *
 * @param stepSize period of decay
 * @param gamma multiplicative factor
 * @param arguments the normalised arguments
 * @see <a href=
 * "https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.StepLR.html">torch.optim.lr_scheduler.StepLR</a>
 */
record StepLR(long stepSize, double gamma, Map<String, @Nullable Object> arguments) implements Chainable {

	/** The decay factor of StepLR and MultiStepLR. */
	static final KeywordArgument GAMMA = optional("gamma", ArgumentKind.NUMBER, 0.1,
			"Multiplicative factor of lr decay.");

	static final SchedulerType TYPE = SchedulerType.torch("StepLR", "Decays the lr by gamma every step_size epochs.",
			"`· gamma` every `step_size` steps",
			required("step_size", ArgumentKind.INTEGER, "Period of lr decay, in epochs."), GAMMA);

	static StepLR read(ArgumentReader arguments) {
		long stepSize = arguments.integer("step_size", false);
		if (stepSize == 0) {
			throw arguments.invalid("step_size", "must not be 0: PyTorch computes last_epoch % step_size at every step"
					+ " and raises ZeroDivisionError: integer modulo by zero, so no step could be taken");
		}
		double gamma = arguments.real("gamma");
		return new StepLR(stepSize, gamma, arguments.normalized());
	}

	@Override
	public String type() {
		return "StepLR";
	}

	@Override
	public double[] lr(Progress progress, Optimizer optimizer, boolean initial) {
		long epoch = progress.lastEpoch();
		if (epoch == 0 || Py.mod(epoch, this.stepSize) != 0) {
			return Chainable.unchanged(optimizer);
		}
		return Chainable.scaled(optimizer, this.gamma);
	}

	/**
	 * The decays on the way replayed, or beyond {@link Chainable#EXACT_STEPS} of them
	 * PyTorch's closed form (a positive {@code step_size} only: with a negative one the
	 * closed form's exponent is negative while the recursion decays).
	 */
	@Override
	public long jumpCost(Progress progress, long steps) {
		return (progress.lastEpoch() < 0) ? -1
				: decayCost(progress, progress.lastEpoch() + steps, decays(progress, steps), this.stepSize > 0);
	}

	@Override
	public Progress jump(Progress progress, Optimizer optimizer, long steps) {
		double[] values = decayed(progress, optimizer, progress.lastEpoch() + steps, this.gamma,
				decays(progress, steps), this.stepSize > 0);
		return Chainable.jumped(progress, steps, values, optimizer);
	}

	/** The epochs in {@code (last_epoch, last_epoch + steps]} where the lr decays. */
	private long decays(Progress progress, long steps) {
		long period = (this.stepSize == Long.MIN_VALUE) ? Long.MAX_VALUE : Math.abs(this.stepSize);
		return Math.floorDiv(progress.lastEpoch() + steps, period) - Math.floorDiv(progress.lastEpoch(), period);
	}

	@Override
	public double[] closedFormLr(Progress progress) {
		double factor = Py.pow(this.gamma, Py.floorDiv(progress.lastEpoch(), this.stepSize));
		return Chainable.times(progress.baseLrs(), factor);
	}

}
