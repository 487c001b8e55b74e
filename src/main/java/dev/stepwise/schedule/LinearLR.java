package dev.stepwise.schedule;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Progress;

import static dev.stepwise.schedule.KeywordArgument.optional;

/**
 * {@code LinearLR(optimizer, start_factor=1/3, end_factor=1.0, total_iters=5)}: the
 * factor moves linearly from {@code start_factor} to {@code end_factor} over
 * {@code total_iters} steps and stays. Chainable: {@code lr · start} at epoch 0;
 * unchanged on the initial step or past {@code total_iters}; else
 * {@code lr · (1 + (end - start) / (total_iters · start + (e - 1) · (end - start)))}.
 * Closed form
 * {@code base_lr · (start + (end - start) · min(total_iters, e) / total_iters)}.
 * {@code start_factor} in (0, 1] (the newest PyTorch rejects 0), {@code end_factor} in
 * [0, 1].
 *
 * @param startFactor factor at epoch 0
 * @param endFactor factor from {@code total_iters} on
 * @param totalIters length of the ramp
 * @param arguments the normalised arguments
 * @see <a href=
 * "https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.LinearLR.html">torch.optim.lr_scheduler.LinearLR</a>
 */
record LinearLR(double startFactor, double endFactor, long totalIters,
		Map<String, @Nullable Object> arguments) implements Ramp {

	static final SchedulerType TYPE = SchedulerType
		.torch("LinearLR", "Changes the lr factor linearly from start_factor to end_factor over total_iters steps.",
				"linear ramp of the factor from `start_factor` to `end_factor`",
				optional("start_factor", ArgumentKind.NUMBER, 1.0 / 3, "Factor at epoch 0; in (0, 1]."),
				optional("end_factor", ArgumentKind.NUMBER, 1.0, "Factor from total_iters on; in [0, 1]."),
				optional("total_iters", ArgumentKind.INTEGER, 5L, "Steps of the linear change."))
		.lasting(ScheduleLength.argument("total_iters"));

	static LinearLR read(ArgumentReader arguments) {
		double start = arguments.real("start_factor");
		double end = arguments.real("end_factor");
		long totalIters = arguments.integer("total_iters", false);
		if (start > 1.0 || start <= 0) {
			throw arguments.invalid("start_factor",
					"Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
		}
		if (end > 1.0 || end < 0) {
			throw arguments.invalid("end_factor", "Ending multiplicative factor expected to be between 0 and 1.");
		}
		return new LinearLR(start, end, totalIters, arguments.normalized());
	}

	@Override
	public String type() {
		return "LinearLR";
	}

	@Override
	public double[] lr(Progress progress, Optimizer optimizer, boolean initial) {
		long epoch = progress.lastEpoch();
		if (epoch == 0) {
			return Chainable.scaled(optimizer, this.startFactor);
		}
		if (initial || epoch > this.totalIters) {
			return Chainable.unchanged(optimizer);
		}
		double delta = this.endFactor - this.startFactor;
		double ratio = 1.0 + Py.div(delta, this.totalIters * this.startFactor + (epoch - 1) * delta);
		return Chainable.scaled(optimizer, ratio);
	}

	@Override
	public double[] closedFormLr(Progress progress) {
		double progressed = Py.div(
				(this.endFactor - this.startFactor) * Math.min(this.totalIters, progress.lastEpoch()), this.totalIters);
		return Chainable.times(progress.baseLrs(), this.startFactor + progressed);
	}

}
