package dev.stepwise.schedule;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * The learning rate finder's analysis of a range test: the smoothed loss against the lr,
 * and the lr suggested by Lightning's steepest descent and by fastai's valley, each
 * transcribed from its source (src/test/python/lr_finder_traces.py holds the
 * transcriptions that the golden file checks). Pure: no I/O, nothing shared.
 * <p>
 * A point is one step: the first group's lr in force during the step's batch (the lr
 * recorded before the step) and the loss posted with it as the step's metric, smoothed as
 * {@link LossSmoothing} ({@code global_step} is the point's index + 1). A step without a
 * metric is a NaN point that leaves the average as it is (Lightning's callback appends
 * NaN when a batch returns no loss).
 */
public final class LrFinder {

	/** Lightning's {@code _LRFinder.suggestion(skip_begin=10, ...)}. */
	public static final int DEFAULT_SKIP_BEGIN = 10;

	/** Lightning's {@code _LRFinder.suggestion(..., skip_end=1)}. */
	public static final int DEFAULT_SKIP_END = 1;

	/** fastai's {@code lr_find} drops the last 5 points before its suggestion. */
	public static final int VALLEY_SKIP_END = 5;

	private LrFinder() {
	}

	/**
	 * The smoothed curve, built point by point as a history is read.
	 */
	public static final class Curve {

		private final double beta;

		private double[] lrs;

		private double[] losses;

		private int size;

		private double average;

		/**
		 * An empty curve.
		 * @param beta the smoothing, {@code 0 <= beta < 1}
		 * @param expected the points expected, to size the arrays
		 */
		public Curve(double beta, int expected) {
			if (!LossSmoothing.validBeta(beta)) {
				throw new IllegalArgumentException("beta must be >= 0 and < 1, got " + beta);
			}
			this.beta = beta;
			this.lrs = new double[Math.max(16, expected)];
			this.losses = new double[this.lrs.length];
		}

		/**
		 * Adds the next step.
		 * @param lr the first group's lr during the step's batch
		 * @param metric the loss posted with the step, or {@code null}
		 */
		public void add(double lr, @Nullable Double metric) {
			if (this.size == this.lrs.length) {
				this.lrs = Arrays.copyOf(this.lrs, this.size * 2);
				this.losses = Arrays.copyOf(this.losses, this.size * 2);
			}
			double loss = Double.NaN;
			if (metric != null) {
				this.average = LossSmoothing.average(this.average, this.beta, metric);
				loss = LossSmoothing.debiased(this.average, this.beta, this.size + 1);
			}
			this.lrs[this.size] = lr;
			this.losses[this.size] = loss;
			this.size++;
		}

		/** The points so far. */
		public int size() {
			return this.size;
		}

		/** The lr of each point. */
		public double[] lrs() {
			return Arrays.copyOf(this.lrs, this.size);
		}

		/** The smoothed loss of each point (NaN where the step had no metric). */
		public double[] losses() {
			return Arrays.copyOf(this.losses, this.size);
		}

	}

	/**
	 * A suggested lr, or why there is none.
	 *
	 * @param index the point suggested, or {@code null}
	 * @param lr its lr, or {@code null}
	 * @param loss its smoothed loss, or {@code null}
	 * @param skipBegin the points skipped at the start of the curve
	 * @param skipEnd the points skipped at its end
	 * @param reason why there is no suggestion, or {@code null}
	 */
	public record Suggestion(@Nullable Integer index, @Nullable Double lr, @Nullable Double loss, int skipBegin,
			int skipEnd, @Nullable String reason) {

		static Suggestion at(int index, double[] lrs, double[] losses, int skipBegin, int skipEnd) {
			return new Suggestion(index, lrs[index], losses[index], skipBegin, skipEnd, null);
		}

		static Suggestion none(int skipBegin, int skipEnd, String reason) {
			return new Suggestion(null, null, null, skipBegin, skipEnd, reason);
		}

	}

	/**
	 * Lightning's {@code _LRFinder.suggestion(skip_begin, skip_end)} (lr_finder.py at
	 * 7f0c3436): the points {@code [skip_begin:-skip_end]} as float32 tensors, the
	 * non-finite losses dropped, {@code torch.gradient(losses, spacing=[lrs])} (second
	 * order in the interior on the uneven lrs, one-sided at both ends), and the point of
	 * its {@code argmin} (the first, a NaN gradient counting as the least, as torch's
	 * argmin). None with fewer than 2 points.
	 * @param skipEnd at least 1 (Lightning's slice {@code [b:-0]} would be empty)
	 */
	public static Suggestion steepest(double[] lrs, double[] losses, int skipBegin, int skipEnd) {
		if (skipBegin < 0 || skipEnd < 1) {
			throw new IllegalArgumentException("skip_begin >= 0 and skip_end >= 1, got " + skipBegin + ", " + skipEnd);
		}
		int n = losses.length;
		int from = Math.min(skipBegin, n);
		int to = Math.max(n - skipEnd, from);
		int[] index = new int[to - from];
		float[] x = new float[index.length];
		float[] f = new float[index.length];
		int m = 0;
		for (int i = from; i < to; i++) {
			float loss = (float) losses[i];
			if (Float.isFinite(loss)) {
				index[m] = i;
				x[m] = (float) lrs[i];
				f[m] = loss;
				m++;
			}
		}
		if (m < 2) {
			return Suggestion.none(skipBegin, skipEnd, "fewer than 2 finite points between skip_begin and skip_end ("
					+ m + " of " + n + "): Lightning cannot compute the gradient");
		}
		float[] gradient = gradient(Arrays.copyOf(f, m), Arrays.copyOf(x, m));
		int best = 0;
		for (int i = 1; i < m && !Float.isNaN(gradient[best]); i++) {
			if (Float.isNaN(gradient[i]) || gradient[i] < gradient[best]) {
				best = i;
			}
		}
		return Suggestion.at(index[best], lrs, losses, skipBegin, skipEnd);
	}

	/**
	 * {@code torch.gradient(f, spacing=[x], edge_order=1)} in float32, as ATen's
	 * {@code gradient_helper} computes it with coordinates.
	 */
	static float[] gradient(float[] f, float[] x) {
		int m = f.length;
		float[] dx = new float[m - 1];
		for (int i = 0; i < m - 1; i++) {
			dx[i] = x[i + 1] - x[i];
		}
		float[] g = new float[m];
		for (int i = 1; i < m - 1; i++) {
			float dx1 = dx[i - 1];
			float dx2 = dx[i];
			float a = -dx2 / (dx1 * (dx1 + dx2));
			float b = (dx2 - dx1) / (dx1 * dx2);
			float c = dx1 / (dx2 * (dx1 + dx2));
			g[i] = a * f[i - 1] + b * f[i] + c * f[i + 1];
		}
		g[0] = (f[1] - f[0]) / dx[0];
		g[m - 1] = (f[m - 1] - f[m - 2]) / dx[m - 2];
		return g;
	}

	/**
	 * fastai's {@code valley} (callback/schedule.py at 0a049e8a) on the points
	 * {@code Learner.lr_find} passes it: {@code [num_it // 10:-5]} as float32 tensors,
	 * cut at the first NaN loss; the longest decreasing run of losses (O(n²), so the
	 * caller bounds the points), and the point a third plus a sixth of the way along it.
	 * None when no point is left (fastai raises IndexError).
	 * @param numIt fastai's {@code num_it}: the iterations the test was to take
	 */
	public static Suggestion valley(double[] lrs, double[] losses, long numIt) {
		int n = losses.length;
		int begin = (int) Math.min(Math.max(0, numIt / 10), n);
		int end = Math.max(n - VALLEY_SKIP_END, begin);
		float[] f = new float[end - begin];
		int m = 0;
		while (m < f.length && !Float.isNaN((float) losses[begin + m])) {
			f[m] = (float) losses[begin + m];
			m++;
		}
		if (m == 0) {
			return Suggestion.none(begin, VALLEY_SKIP_END, "no point left between num_it // 10 and the last 5"
					+ " before the first NaN loss (" + n + " points): fastai has nothing to choose from");
		}
		int[] lds = new int[m];
		Arrays.fill(lds, 1);
		int maxStart = 0;
		int maxEnd = 0;
		for (int i = 1; i < m; i++) {
			for (int j = 0; j < i; j++) {
				if (f[i] < f[j] && lds[i] < lds[j] + 1) {
					lds[i] = lds[j] + 1;
				}
				if (lds[maxEnd] < lds[i]) {
					maxEnd = i;
					maxStart = maxEnd - lds[maxEnd];
				}
			}
		}
		double sections = (maxEnd - maxStart) / 3.0;
		int index = maxStart + (int) sections + (int) (sections / 2);
		if (index < 0) {
			// a run from the first point makes max_start -1: Python's lrs[-1] is the last
			index += m;
		}
		return Suggestion.at(begin + index, lrs, losses, begin, VALLEY_SKIP_END);
	}

}
