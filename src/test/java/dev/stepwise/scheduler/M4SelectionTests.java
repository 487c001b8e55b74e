package dev.stepwise.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The M4 choice of a long history's records: bounded, in order, and keeping every
 * bucket's first, last and extreme records.
 */
class M4SelectionTests {

	/** A record: its position, lr and metric. */
	record Point(double position, double lr, @Nullable Double metric) {
	}

	@ParameterizedTest
	@ValueSource(ints = { 2, 3, 5, 6, 7, 13, 100, 1000 })
	void neverChoosesMoreThanPointsAndKeepsTheOrder(int points) {
		List<Point> history = noisyCosine(100_000, 7);
		List<Point> selected = select(history, points);
		assertThat(selected).hasSizeLessThanOrEqualTo(points).hasSizeGreaterThanOrEqualTo(Math.min(points, 2));
		assertThat(selected).extracting(Point::position).isSorted().doesNotHaveDuplicates();
	}

	@Test
	void keepsEveryBucketsFirstLastAndExtremes() {
		List<Point> history = noisyCosine(60_000, 11);
		int points = 600;
		List<Point> selected = select(history, points);
		int buckets = points / M4Selection.PER_BUCKET;
		double from = history.get(0).position();
		double width = history.get(history.size() - 1).position() - from;
		List<List<Point>> byBucket = new ArrayList<>();
		for (int b = 0; b < buckets; b++) {
			byBucket.add(new ArrayList<>());
		}
		for (Point point : history) {
			int b = (int) Math.min(buckets - 1, Math.floor((point.position() - from) / width * buckets));
			byBucket.get(b).add(point);
		}
		for (List<Point> bucket : byBucket) {
			assertThat(selected).contains(bucket.get(0), bucket.get(bucket.size() - 1));
			assertThat(selected).contains(extreme(bucket, true, false), extreme(bucket, false, false),
					extreme(bucket, true, true), extreme(bucket, false, true));
		}
		// and the curve's overall range survives
		assertThat(selected.stream().mapToDouble(Point::lr).min())
			.isEqualTo(history.stream().mapToDouble(Point::lr).min());
		assertThat(selected.stream().mapToDouble(Point::lr).max())
			.isEqualTo(history.stream().mapToDouble(Point::lr).max());
	}

	@Test
	void aSingleSpikeInAMillionStepsSurvives() {
		M4Selection<Integer> m4 = new M4Selection<>(0, 999_999, 1000);
		for (int i = 0; i < 1_000_000; i++) {
			m4.add(i, (i == 123_457) ? 5.0 : 0.1, (i == 765_433) ? -3.0 : 1.0, i);
		}
		List<Integer> selected = m4.selected();
		assertThat(selected).hasSizeLessThanOrEqualTo(1000).contains(0, 999_999, 123_457, 765_433);
	}

	@Test
	void tiesKeepTheEarliestRecord() {
		M4Selection<Integer> m4 = new M4Selection<>(0, 5, 6);
		double[] lrs = { 1, 0, 0, 2, 2, 1 };
		for (int i = 0; i < lrs.length; i++) {
			m4.add(i, lrs[i], null, i);
		}
		// one bucket: first 0, last 5, min lr 1 (not 2), max lr 3 (not 4)
		assertThat(m4.selected()).containsExactly(0, 1, 3, 5);
	}

	@Test
	void aConstantCurveKeepsOnlyFirstAndLastOfEachBucket() {
		M4Selection<Integer> m4 = new M4Selection<>(0, 1199, 12);
		for (int i = 0; i < 1200; i++) {
			m4.add(i, 0.1, null, i);
		}
		// two buckets of 600; the min and max lr are each bucket's first record
		assertThat(m4.selected()).containsExactly(0, 599, 600, 1199);
	}

	@Test
	void aSingleRecordIsKept() {
		M4Selection<String> m4 = new M4Selection<>(3, 3, 2);
		m4.add(3, 0.5, null, "only");
		assertThat(m4.selected()).containsExactly("only");
	}

	@Test
	void fewerThanSixPointsKeepFirstAndLastFirst() {
		M4Selection<Integer> m4 = new M4Selection<>(0, 9, 2);
		for (int i = 0; i < 10; i++) {
			m4.add(i, (i == 4) ? 9.0 : 1.0, (double) i, i);
		}
		assertThat(m4.selected()).containsExactly(0, 9);
		M4Selection<Integer> three = new M4Selection<>(0, 9, 3);
		for (int i = 0; i < 10; i++) {
			three.add(i, (i == 4) ? 0.0 : 1.0, (double) i, i);
		}
		// first, last, then the lowest lr
		assertThat(three.selected()).containsExactly(0, 4, 9);
	}

	@Test
	void missingAndNanMetricsAndNanLrsAreNoExtremes() {
		M4Selection<Integer> m4 = new M4Selection<>(0, 5, 6);
		m4.add(0, 1.0, null, 0);
		m4.add(1, Double.NaN, Double.NaN, 1);
		m4.add(2, 1.0, 0.5, 2);
		m4.add(3, 1.0, null, 3);
		m4.add(4, Double.NaN, 0.7, 4);
		m4.add(5, 1.0, null, 5);
		// min and max lr are record 0; min metric 2, max metric 4
		assertThat(m4.selected()).containsExactly(0, 2, 4, 5);
	}

	@Test
	void metricExtremesAreKeptBesideTheLrs() {
		M4Selection<Integer> m4 = new M4Selection<>(0, 99, 6);
		for (int i = 0; i < 100; i++) {
			m4.add(i, 0.1 * (100 - i), (i == 40) ? 0.01 : ((i == 60) ? 9.0 : 1.0), i);
		}
		// lr falls: its max is the first record, its min the last
		assertThat(m4.selected()).containsExactly(0, 40, 60, 99);
	}

	@Test
	void fractionalPositionsFallIntoTheirBuckets() {
		M4Selection<Double> m4 = new M4Selection<>(0.0, 2.0, 12);
		for (double position : new double[] { 0.0, 0.25, 0.5, 0.999, 1.0, 1.5, 2.0 }) {
			m4.add(position, position, null, position);
		}
		// buckets [0, 1) and [1, 2]: each keeps its first and last (its extremes too)
		assertThat(m4.selected()).containsExactly(0.0, 0.999, 1.0, 2.0);
	}

	@Test
	void refusesRecordsOutOfOrderAndTooFewPoints() {
		M4Selection<Integer> m4 = new M4Selection<>(0, 10, 100);
		m4.add(5, 0.1, null, 5);
		assertThatIllegalArgumentException().isThrownBy(() -> m4.add(4, 0.1, null, 4))
			.withMessageContaining("position order");
		assertThatIllegalArgumentException().isThrownBy(() -> new M4Selection<Integer>(0, 10, 1))
			.withMessageContaining("at least 2");
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 3, 7 })
	void alignedBucketsSelectFromSummariesWhatTheyWouldFromTheRecords(int tilesPerBucket) {
		// ties and gaps too: a flat stretch, missing and NaN metrics, a hole in the
		// positions
		List<Point> history = new ArrayList<>(noisyCosine(20_000, 5));
		history.removeIf((point) -> point.position() >= 3_000 && point.position() < 5_500);
		for (int i = 0; i < history.size(); i++) {
			Point point = history.get(i);
			if (point.position() >= 8_000 && point.position() < 9_000) {
				history.set(i, new Point(point.position(), 0.01, (i % 3 == 0) ? Double.NaN : 0.5));
			}
		}
		int tile = 256;
		int buckets = (int) Math.ceil(20_000.0 / (tile * tilesPerBucket));
		M4Selection<Point> fromRecords = M4Selection.aligned(0, tile * tilesPerBucket, buckets);
		history.forEach((point) -> fromRecords.add(point.position(), point.lr(), point.metric(), point));
		// each tile summarised as a bucket of its own, then its summary added in place of
		// its records
		M4Selection<Point> fromSummaries = M4Selection.aligned(0, tile * tilesPerBucket, buckets);
		for (int start = 0; start < 20_000; start += tile) {
			M4Selection<Point> summary = M4Selection.aligned(start, tile, 1);
			int from = start;
			history.stream()
				.filter((point) -> point.position() >= from && point.position() < from + tile)
				.forEach((point) -> summary.add(point.position(), point.lr(), point.metric(), point));
			summary.selected()
				.forEach((point) -> fromSummaries.add(point.position(), point.lr(), point.metric(), point));
		}
		List<Point> selected = fromRecords.selected();
		assertThat(selected).hasSizeLessThanOrEqualTo(buckets * M4Selection.PER_BUCKET).hasSizeGreaterThan(buckets);
		assertThat(fromSummaries.selected()).isEqualTo(selected);
	}

	@Test
	void alignedBucketsNeedAWidthAndABucket() {
		assertThatIllegalArgumentException().isThrownBy(() -> M4Selection.aligned(0, 0, 3));
		assertThatIllegalArgumentException().isThrownBy(() -> M4Selection.aligned(0, 1024, 0));
	}

	private static List<Point> select(List<Point> history, int points) {
		M4Selection<Point> m4 = new M4Selection<>(history.get(0).position(), history.get(history.size() - 1).position(),
				points);
		history.forEach((point) -> m4.add(point.position(), point.lr(), point.metric(), point));
		return m4.selected();
	}

	/** The earliest record of the bucket's lowest (or highest) lr (or metric). */
	private static Point extreme(List<Point> bucket, boolean lowest, boolean metric) {
		Point best = null;
		for (Point point : bucket) {
			Double value = metric ? point.metric() : Double.valueOf(point.lr());
			if (value == null) {
				continue;
			}
			Double current = null;
			if (best != null) {
				current = metric ? best.metric() : Double.valueOf(best.lr());
			}
			if (current == null || (lowest ? value < current : value > current)) {
				best = point;
			}
		}
		return best;
	}

	/** A cosine with noise, the metric missing on odd steps. */
	private static List<Point> noisyCosine(int steps, long seed) {
		Random random = new Random(seed);
		List<Point> history = new ArrayList<>(steps);
		for (int i = 0; i < steps; i++) {
			double lr = 0.05 * (1 + Math.cos(Math.PI * i / steps)) + random.nextGaussian() * 0.001;
			Double metric = (i % 2 == 0) ? 1.0 / (1 + i) + random.nextGaussian() * 0.01 : null;
			history.add(new Point(i, lr, metric));
		}
		return history;
	}

}
