package dev.stepwise.scheduler;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Chooses at most {@code points} records of a long history so that its curves keep their
 * shape (M4, Jugel et al., VLDB 2014): the range of positions is cut into buckets of
 * equal width, and each bucket keeps its first and last record, the records of its lowest
 * and highest lr (of the first param group), and those of its lowest and highest metric.
 * A stepped line through them has every bucket's extremes, so a chart of about as many
 * pixels as buckets looks the same as the full history.
 * <p>
 * Records come one at a time in position order (a stream of the table), and only the
 * current bucket's six candidates and the records already chosen are held: memory is
 * bounded by {@code points}, not by the history's length. Ties keep the earliest record;
 * a NaN lr or metric, or a missing metric, is never an extreme (it is kept only as a
 * bucket's first or last record).
 *
 * @param <T> the records
 */
public final class M4Selection<T> {

	/**
	 * Records a bucket keeps at most: first, last, min and max lr, min and max metric.
	 */
	public static final int PER_BUCKET = 6;

	private final double from;

	private final double width;

	private final int buckets;

	private final int keep;

	/** The width of a bucket where given ({@link #aligned}), else NaN. */
	private final double bucketWidth;

	private final List<T> selected = new ArrayList<>();

	private int bucket = -1;

	private double lastPosition = Double.NEGATIVE_INFINITY;

	private long index;

	private @Nullable Candidate<T> first;

	private @Nullable Candidate<T> last;

	private @Nullable Candidate<T> minLr;

	private @Nullable Candidate<T> maxLr;

	private @Nullable Candidate<T> minMetric;

	private @Nullable Candidate<T> maxMetric;

	/**
	 * A selection over the positions from {@code from} to {@code to} (the first and the
	 * last record's), of at most {@code points} records.
	 * @throws IllegalArgumentException when {@code points} is below 2
	 */
	public M4Selection(double from, double to, int points) {
		if (points < 2) {
			throw new IllegalArgumentException("points must be at least 2, not " + points);
		}
		this.from = from;
		this.width = to - from;
		this.buckets = Math.max(1, points / PER_BUCKET);
		// fewer than six points: one bucket, keeping its first candidates
		this.keep = Math.min(PER_BUCKET, points);
		this.bucketWidth = Double.NaN;
	}

	private M4Selection(int buckets, double from, double bucketWidth) {
		this.from = from;
		this.width = bucketWidth * buckets;
		this.buckets = buckets;
		this.keep = PER_BUCKET;
		this.bucketWidth = bucketWidth;
	}

	/**
	 * A selection whose buckets start at {@code from} and are {@code bucketWidth} wide
	 * (the last one open-ended), {@code buckets} of them: buckets that line up with
	 * summaries of whole ranges of positions, which can then be added instead of their
	 * records (a summary's first, last and extreme records select what its records
	 * would).
	 * @throws IllegalArgumentException when the width is not positive or there is no
	 * bucket
	 */
	public static <T> M4Selection<T> aligned(double from, double bucketWidth, int buckets) {
		if (!(bucketWidth > 0) || buckets < 1) {
			throw new IllegalArgumentException("buckets must be positive: " + buckets + " of " + bucketWidth);
		}
		return new M4Selection<>(buckets, from, bucketWidth);
	}

	/**
	 * The next record, at {@code position} (not below the previous one's).
	 * @throws IllegalArgumentException when the positions go back
	 */
	public void add(double position, double lr, @Nullable Double metric, T record) {
		if (position < this.lastPosition) {
			throw new IllegalArgumentException(
					"records must come in position order: " + position + " after " + this.lastPosition);
		}
		this.lastPosition = position;
		int into = bucketOf(position);
		if (into != this.bucket) {
			closeBucket();
			this.bucket = into;
		}
		Candidate<T> candidate = new Candidate<>(this.index++, record);
		if (this.first == null) {
			this.first = candidate;
		}
		this.last = candidate;
		if (!Double.isNaN(lr)) {
			if (this.minLr == null || lr < this.minLr.value) {
				this.minLr = candidate.at(lr);
			}
			if (this.maxLr == null || lr > this.maxLr.value) {
				this.maxLr = candidate.at(lr);
			}
		}
		if (metric != null && !metric.isNaN()) {
			if (this.minMetric == null || metric < this.minMetric.value) {
				this.minMetric = candidate.at(metric);
			}
			if (this.maxMetric == null || metric > this.maxMetric.value) {
				this.maxMetric = candidate.at(metric);
			}
		}
	}

	/** The chosen records in position order; call once, after the last {@link #add}. */
	public List<T> selected() {
		closeBucket();
		return List.copyOf(this.selected);
	}

	private int bucketOf(double position) {
		if (!Double.isNaN(this.bucketWidth)) {
			// exact for whole positions and a width of whole positions
			return (int) Math.max(0, Math.min(this.buckets - 1, Math.floor((position - this.from) / this.bucketWidth)));
		}
		if (!(this.width > 0) || Double.isInfinite(this.width)) {
			return 0;
		}
		double offset = Math.floor((position - this.from) / this.width * this.buckets);
		return (int) Math.max(0, Math.min(this.buckets - 1, offset));
	}

	/**
	 * Adds the bucket's distinct candidates, by priority up to {@code keep}, in order.
	 */
	private void closeBucket() {
		List<Candidate<T>> kept = new ArrayList<>(PER_BUCKET);
		offer(kept, this.first);
		offer(kept, this.last);
		offer(kept, this.minLr);
		offer(kept, this.maxLr);
		offer(kept, this.minMetric);
		offer(kept, this.maxMetric);
		kept.sort((a, b) -> Long.compare(a.index, b.index));
		kept.forEach((candidate) -> this.selected.add(candidate.record));
		this.first = null;
		this.last = null;
		this.minLr = null;
		this.maxLr = null;
		this.minMetric = null;
		this.maxMetric = null;
	}

	private void offer(List<Candidate<T>> kept, @Nullable Candidate<T> candidate) {
		if (candidate != null && kept.size() < this.keep
				&& kept.stream().noneMatch((other) -> other.index == candidate.index)) {
			kept.add(candidate);
		}
	}

	/** A record of the current bucket, with the value it is an extreme of. */
	private record Candidate<T>(long index, T record, double value) {

		Candidate(long index, T record) {
			this(index, record, Double.NaN);
		}

		Candidate<T> at(double extreme) {
			return new Candidate<>(this.index, this.record, extreme);
		}

	}

}
