package dev.stepwise.schedule;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Progress;

import static dev.stepwise.schedule.KeywordArgument.optional;
import static dev.stepwise.schedule.KeywordArgument.required;

/**
 * {@code CosineAnnealingLR(optimizer, T_max, eta_min=0.0)}, the recursive form PyTorch
 * uses: {@code η_min + (lr - η_min) · (1 + cos(πe/T)) / (1 + cos(π(e-1)/T))}, with
 * {@code lr + (base_lr - η_min)(1 - cos(π/T))/2} where {@code (e - 1 - T) % 2T == 0} (the
 * ratio's denominator is 0 there). Closed form
 * {@code η_min + (base_lr - η_min)(1 + cos(πe/T))/2}. Not clamped: past {@code T_max} it
 * climbs back, period {@code 2·T_max}. {@code T_max=0} is refused at registration:
 * PyTorch constructs it, but every step raises {@code ZeroDivisionError}.
 *
 * @param tMax half period
 * @param etaMin minimum lr
 * @param arguments the normalised arguments
 * @see <a href=
 * "https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.CosineAnnealingLR.html">torch.optim.lr_scheduler.CosineAnnealingLR</a>
 */
record CosineAnnealingLR(long tMax, double etaMin, Map<String, @Nullable Object> arguments) implements Chainable {

	/** The floor of CosineAnnealingLR and CosineAnnealingWarmRestarts. */
	/**
	 * The longest fast-forward taken by the closed form. The recursion drifts from it
	 * near every trough, where it multiplies a difference that rounding dominates by a
	 * large ratio: measured against torch ({@code closed_form_deviation.py}, about 150
	 * specs) the drift stays below 0.06 of the parity tolerance up to 10^5 steps, but
	 * reaches 1.4 before 10^6 (T_max=7919) and 2.2 by 10^7 (T_max=1000), so longer ones
	 * are stepped, as PyTorch does, and priced as such.
	 */
	static final long CLOSED_FORM_STEPS = 100_000;

	static final KeywordArgument ETA_MIN = optional("eta_min", ArgumentKind.NUMBER, 0.0, "Minimum learning rate.");

	static final SchedulerType TYPE = SchedulerType
		.torch("CosineAnnealingLR", "Anneals the lr along a cosine from the base lr to eta_min over T_max steps.",
				"cosine to `eta_min`, periodic past `T_max`",
				required("T_max", ArgumentKind.INTEGER, "Half period: steps from the base lr down to eta_min."),
				ETA_MIN)
		.lasting(ScheduleLength.argument("T_max"));

	static CosineAnnealingLR read(ArgumentReader arguments) {
		long tMax = arguments.integer("T_max", false);
		if (tMax == 0) {
			throw arguments.invalid("T_max", "must not be 0: PyTorch divides by T_max at every step and raises"
					+ " ZeroDivisionError, so no step could be taken");
		}
		double etaMin = arguments.real("eta_min");
		return new CosineAnnealingLR(tMax, etaMin, arguments.normalized());
	}

	@Override
	public String type() {
		return "CosineAnnealingLR";
	}

	@Override
	public double[] lr(Progress progress, Optimizer optimizer, boolean initial) {
		long epoch = progress.lastEpoch();
		if (initial) {
			return Chainable.unchanged(optimizer);
		}
		if (progress.stepCount() == 1 && epoch > 0) {
			return closedFormLr(progress);
		}
		double[] values = optimizer.lrs();
		recurse(values, progress.baseLrs(), epoch);
		return values;
	}

	/** The recursive form's step to {@code epoch}, in place. */
	private void recurse(double[] values, double[] base, long epoch) {
		if (Py.mod(epoch - 1 - this.tMax, 2 * this.tMax) == 0) {
			double cosStep = Math.cos(Py.div(Math.PI, this.tMax));
			for (int i = 0; i < values.length; i++) {
				values[i] = values[i] + (base[i] - this.etaMin) * (1 - cosStep) / 2;
			}
			return;
		}
		double ratio = Py.div(1 + Math.cos(Py.div(Math.PI * epoch, this.tMax)),
				1 + Math.cos(Py.div(Math.PI * (epoch - 1), this.tMax)));
		for (int i = 0; i < values.length; i++) {
			values[i] = ratio * (values[i] - this.etaMin) + this.etaMin;
		}
	}

	/**
	 * Up to {@link Chainable#EXACT_STEPS} steps the recursion, beyond them up to
	 * {@link #CLOSED_FORM_STEPS} PyTorch's closed form, where {@code |T_max| <= 10^7}:
	 * there the recursion's denominator {@code 1 + cos(π(e-1)/T)} is 0 only where its
	 * special case takes over (elsewhere it is at least about {@code (π/T)²/2}, far above
	 * rounding), so the recursion raises nothing on the way. Beyond, the recursion again.
	 * The recursion is replayed in place: the steps' own arithmetic, without a state per
	 * step.
	 */
	@Override
	public long jumpCost(Progress progress, long steps) {
		if (progress.lastEpoch() < 0 || progress.stepCount() < 1) {
			return -1;
		}
		return closed(progress, steps) ? 1 : LrScheduler.work(steps, weight());
	}

	private boolean closed(Progress progress, long steps) {
		return steps > EXACT_STEPS && steps <= CLOSED_FORM_STEPS && this.tMax >= -Schedule.MAX_FAST_FORWARD
				&& this.tMax <= Schedule.MAX_FAST_FORWARD
				&& closedFormFromStart(progress, progress.lastEpoch() + steps) != null;
	}

	@Override
	public Progress jump(Progress progress, Optimizer optimizer, long steps) {
		long to = progress.lastEpoch() + steps;
		if (closed(progress, steps)) {
			return Chainable.jumped(progress, steps, closedFormFromStart(progress, to), optimizer);
		}
		double[] values = optimizer.lrs();
		for (long epoch = progress.lastEpoch() + 1; epoch <= to; epoch++) {
			recurse(values, progress.baseLrs(), epoch);
		}
		return Chainable.jumped(progress, steps, values, optimizer);
	}

	@Override
	public double[] closedFormLr(Progress progress) {
		double[] base = progress.baseLrs();
		double[] values = new double[base.length];
		double cos = Math.cos(Py.div(Math.PI * progress.lastEpoch(), this.tMax));
		for (int i = 0; i < values.length; i++) {
			values[i] = this.etaMin + (base[i] - this.etaMin) * (1 + cos) / 2;
		}
		return values;
	}

}
