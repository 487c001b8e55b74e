package dev.stepwise.schedule;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Progress;

import static dev.stepwise.schedule.KeywordArgument.optional;

/**
 * {@code PolynomialLR(optimizer, total_iters=5, power=1.0)}: chainable
 * {@code lr · ((1 - e/T) / (1 - (e-1)/T))^power} for {@code 0 < e <= T}, else unchanged;
 * closed form {@code base_lr · (1 - min(T, e)/T)^power}. Reaches 0 at {@code T} and
 * stays; a negative power fails there as in PyTorch.
 *
 * @param totalIters the decay length T
 * @param power the polynomial's power
 * @param arguments the normalised arguments
 * @see <a href=
 * "https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.PolynomialLR.html">torch.optim.lr_scheduler.PolynomialLR</a>
 */
record PolynomialLR(long totalIters, double power, Map<String, @Nullable Object> arguments) implements Ramp {

	static final SchedulerType TYPE = SchedulerType
		.torch("PolynomialLR", "Decays the lr polynomially to 0 over total_iters steps.",
				"`base_lr · (1 - t/T)^power`, 0 after `T`",
				optional("total_iters", ArgumentKind.INTEGER, 5L, "Steps of the decay."),
				optional("power", ArgumentKind.NUMBER, 1.0, "Power of the polynomial."))
		.lasting(ScheduleLength.argument("total_iters"));

	static PolynomialLR read(ArgumentReader arguments) {
		long totalIters = arguments.integer("total_iters", false);
		double power = arguments.real("power");
		return new PolynomialLR(totalIters, power, arguments.normalized());
	}

	@Override
	public String type() {
		return "PolynomialLR";
	}

	@Override
	public double[] lr(Progress progress, Optimizer optimizer, boolean initial) {
		long epoch = progress.lastEpoch();
		if (initial || epoch > this.totalIters) {
			return Chainable.unchanged(optimizer);
		}
		double ratio = Py.div(1.0 - Py.div(epoch, this.totalIters), 1.0 - Py.div(epoch - 1, this.totalIters));
		return Chainable.scaled(optimizer, Py.pow(ratio, this.power));
	}

	@Override
	public double[] closedFormLr(Progress progress) {
		double remaining = 1.0 - Py.div(Math.min(this.totalIters, progress.lastEpoch()), this.totalIters);
		return Chainable.times(progress.baseLrs(), Py.pow(remaining, this.power));
	}

}
