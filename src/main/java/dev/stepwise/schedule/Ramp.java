package dev.stepwise.schedule;

import dev.stepwise.schedule.NodeState.Progress;

/**
 * A chainable rule that changes the lr up to {@code total_iters} and leaves it as it is
 * after (LinearLR, PolynomialLR): a fast-forward steps only the changing steps, or beyond
 * {@link Chainable#EXACT_STEPS} of them takes PyTorch's closed form.
 */
sealed interface Ramp extends Chainable permits LinearLR, PolynomialLR {

	/** The last epoch that changes the lr. */
	long totalIters();

	/**
	 * The changing steps are stepped up to {@link #EXACT_STEPS}, else the closed form is
	 * taken where usable; else it steps.
	 */
	@Override
	default long jumpCost(Progress progress, long steps) {
		if (progress.lastEpoch() < 0) {
			return -1;
		}
		long changing = changing(progress, steps);
		if (changing <= EXACT_STEPS) {
			return LrScheduler.plus(1, changing);
		}
		return (closedFormFromStart(progress, progress.lastEpoch() + steps) != null) ? 1 : -1;
	}

	@Override
	default Progress jump(Progress progress, Optimizer optimizer, long steps) {
		long changing = changing(progress, steps);
		if (changing <= EXACT_STEPS) {
			// the steps past total_iters leave the lr as it is
			NodeState current = progress;
			for (long i = 0; i < changing; i++) {
				current = step(current, optimizer, Double.NaN);
			}
			Progress stepped = (Progress) current;
			return new Progress(progress.lastEpoch() + steps, progress.stepCount() + steps, progress.baseLrs(),
					stepped.lastLr());
		}
		return Chainable.jumped(progress, steps, closedFormFromStart(progress, progress.lastEpoch() + steps),
				optimizer);
	}

	/** The steps in {@code (last_epoch, last_epoch + steps]} that change the lr. */
	private long changing(Progress progress, long steps) {
		return Math.max(0, Math.min(progress.lastEpoch() + steps, totalIters()) - progress.lastEpoch());
	}

}
