package dev.stepwise.schedule;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.stepwise.schedule.LrFinder.Curve;
import dev.stepwise.schedule.LrFinder.Suggestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The lr finder's analysis against the golden file: the smoothed curve as Lightning's
 * callback computes it, Lightning's steepest descent as real torch computes it (float32
 * {@code torch.gradient}, {@code argmin}) and fastai's valley, on range tests and on
 * curves with NaN and infinite losses, missing metrics, flat curves, ties, repeated lrs,
 * losses beyond float32 and too few points.
 */
class LrFinderGoldenTest {

	static Stream<Map<String, Object>> rangeTests() {
		return LrFinderGolden.cases("range_tests").stream();
	}

	static Stream<Map<String, Object>> analyses() {
		return LrFinderGolden.cases("analyses").stream();
	}

	/**
	 * A range test's curve, built from its recorded states as the endpoint reads them.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("rangeTests")
	@SuppressWarnings("unchecked")
	void rangeTestCurveAndSuggestions(Map<String, Object> test) {
		List<Map<String, Object>> states = (List<Map<String, Object>>) test.get("states");
		List<Double> metrics = LrFinderGolden.metrics(test.get("metrics"));
		Map<String, Object> spec = (Map<String, Object>) test.get("scheduler");
		Curve curve = new Curve(((Number) spec.getOrDefault("beta", 0.98)).doubleValue(), states.size());
		for (int i = 0; i < metrics.size(); i++) {
			curve.add(LrFinderGolden.number(states.get(i).get("lr")), metrics.get(i));
		}
		check(curve, (Map<String, Object>) test.get("curve"), (Map<String, Object>) test.get("suggestions"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("analyses")
	@SuppressWarnings("unchecked")
	void analysis(Map<String, Object> analysis) {
		double[] lrs = LrFinderGolden.numbers(analysis.get("lrs"));
		List<Double> metrics = LrFinderGolden.metrics(analysis.get("metrics"));
		Curve curve = new Curve(LrFinderGolden.number(analysis.get("beta")), 4);
		for (int i = 0; i < lrs.length; i++) {
			curve.add(lrs[i], metrics.get(i));
		}
		check(curve, (Map<String, Object>) analysis.get("curve"), (Map<String, Object>) analysis.get("suggestions"));
	}

	@SuppressWarnings("unchecked")
	private static void check(Curve curve, Map<String, Object> expectedCurve, Map<String, Object> suggestions) {
		assertThat(curve.lrs()).containsExactly(LrFinderGolden.numbers(expectedCurve.get("lr")));
		assertThat(curve.losses()).containsExactly(LrFinderGolden.numbers(expectedCurve.get("loss")));
		for (Map<String, Object> steepest : (List<Map<String, Object>>) suggestions.get("steepest")) {
			int skipBegin = ((Number) steepest.get("skip_begin")).intValue();
			int skipEnd = ((Number) steepest.get("skip_end")).intValue();
			Suggestion suggestion = LrFinder.steepest(curve.lrs(), curve.losses(), skipBegin, skipEnd);
			expect(suggestion, steepest.get("index"), curve, "steepest " + skipBegin + "/" + skipEnd);
		}
		Map<String, Object> valley = (Map<String, Object>) suggestions.get("valley");
		Suggestion suggestion = LrFinder.valley(curve.lrs(), curve.losses(),
				((Number) valley.get("num_it")).longValue());
		expect(suggestion, valley.get("index"), curve, "valley");
	}

	private static void expect(Suggestion suggestion, Object index, Curve curve, String rule) {
		if (index == null) {
			assertThat(suggestion.index()).as(rule).isNull();
			assertThat(suggestion.lr()).as(rule).isNull();
			assertThat(suggestion.reason()).as(rule).isNotBlank();
			return;
		}
		int expected = ((Number) index).intValue();
		assertThat(suggestion.index()).as(rule).isEqualTo(expected);
		assertThat(suggestion.lr()).as(rule).isEqualTo(curve.lrs()[expected]);
		assertThat(suggestion.reason()).as(rule).isNull();
	}

	@Test
	void steepestNeedsSkipEndOfAtLeastOne() {
		// Lightning's slice [skip_begin:-0] is empty
		assertThatIllegalArgumentException().isThrownBy(() -> LrFinder.steepest(new double[3], new double[3], 0, 0));
	}

	@Test
	void valleyOfTenThousandPointsIsQuick() {
		int n = 10_000;
		double[] lrs = new double[n];
		double[] losses = new double[n];
		for (int i = 0; i < n; i++) {
			lrs[i] = 1e-6 * Math.pow(10, i / 1000.0);
			losses[i] = (i < 6000) ? 3 - i * 1e-4 : 2.4 + (i - 6000) * 1e-3;
		}
		long start = System.nanoTime();
		Suggestion valley = LrFinder.valley(lrs, losses, n);
		long millis = (System.nanoTime() - start) / 1_000_000;
		// the longest decreasing run is points 1000..5999 after the slice
		assertThat(valley.index()).isEqualTo(1000 + 4999 / 3 + (int) (4999 / 3.0 / 2));
		assertThat(millis).isLessThan(2000);
	}

}
