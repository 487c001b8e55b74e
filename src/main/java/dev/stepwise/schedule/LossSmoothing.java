package dev.stepwise.schedule;

/**
 * The smoothed loss of an LR range test, as Lightning's {@code _LRCallback} computes it
 * (lightning/pytorch/tuner/lr_finder.py at 7f0c3436): an exponential moving average
 * {@code avg = beta · avg + (1 - beta) · loss}, debiased by
 * {@code avg / (1 - beta^(step + 1))}, where {@code step} is the trainer's
 * {@code global_step} after the batch: 1 for the first batch. The range test type keeps
 * it in its state and the lr finder recomputes it from the history, so both read it here.
 */
public final class LossSmoothing {

	/** Lightning's {@code _LRCallback(beta=0.98)}. */
	public static final double DEFAULT_BETA = 0.98;

	private LossSmoothing() {
	}

	/**
	 * {@code beta · avg + (1 - beta) · loss}: the running average after one more loss.
	 */
	public static double average(double avg, double beta, double loss) {
		return beta * avg + (1 - beta) * loss;
	}

	/**
	 * {@code avg / (1 - beta ** (step + 1))}: the debiased average after the batch that
	 * made {@code global_step} {@code step} (1 for the first).
	 */
	public static double debiased(double avg, double beta, long step) {
		return avg / (1 - Py.pow(beta, step + 1));
	}

	/** Whether {@code beta} is one Lightning's formula can use: {@code 0 <= beta < 1}. */
	static boolean validBeta(double beta) {
		return beta >= 0 && beta < 1;
	}

}
