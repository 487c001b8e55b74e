package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code stepwise.LRRangeTest} replayed against the golden file: Lightning's
 * {@code _ExponentialLR}/{@code _LinearLR} run by real torch on a real SGD and its
 * {@code _LRCallback}'s smoothing and early stop, transcribed.
 */
class LightningRangeTestGoldenTest {

	static Stream<Map<String, Object>> rangeTests() {
		return LrFinderGolden.cases("range_tests").stream();
	}

	@SuppressWarnings("unchecked")
	static Schedule schedule(Map<String, Object> test) {
		int groups = ((Number) test.get("groups")).intValue();
		List<ParamGroup> paramGroups = new ArrayList<>(Collections.nCopies(groups, new ParamGroup(0.5, null)));
		return Schedule.of((Map<String, Object>) test.get("scheduler"), paramGroups);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rangeTests")
	@SuppressWarnings("unchecked")
	void replaysLightningStepByStep(Map<String, Object> test) {
		Schedule schedule = schedule(test);
		List<Double> metrics = LrFinderGolden.metrics(test.get("metrics"));
		List<Map<String, Object>> states = (List<Map<String, Object>>) test.get("states");
		ScheduleState state = schedule.start(0);
		for (int epoch = 0; epoch < states.size(); epoch++) {
			Map<String, Object> expected = states.get(epoch);
			if (epoch > 0) {
				state = schedule.step(state, metrics.get(epoch - 1));
			}
			assertThat(state.lastEpoch()).isEqualTo(((Number) expected.get("last_epoch")).longValue());
			for (double lr : state.groups().lr()) {
				assertThat(lr).as("lr at epoch %d", epoch).isEqualTo(LrFinderGolden.number(expected.get("lr")));
			}
			Map<String, Object> document = schedule.stateDict(state);
			assertThat(document.get("finished_at")).isEqualTo(((Number) expected.get("finished_at")).longValue());
			assertThat(schedule.finished(state)).isEqualTo(((Number) expected.get("finished_at")).longValue() > 0);
			if (epoch > 0) {
				for (String key : List.of("avg_loss", "best_loss", "smoothed_loss")) {
					assertThat((Double) document.get(key)).as("%s at epoch %d", key, epoch)
						.isEqualTo(LrFinderGolden.number(expected.get(key)));
				}
			}
			assertThat(schedule.stateDict(schedule.fromStateDict(document))).isEqualTo(document);
		}
		ScheduleState finished = state;
		assertThat(schedule.finished(finished)).isTrue();
		assertThatThrownBy(() -> schedule.step(finished, 1.0)).isInstanceOf(StepException.class)
			.hasMessageContaining("the range test finished at epoch " + finished.lastEpoch())
			.extracting((ex) -> ((StepException) ex).reason())
			.isEqualTo(StepException.Reason.REFUSED);
	}

	@Test
	void everyGroupStartsAtStartLrWhateverItsRegisteredLr() {
		Schedule schedule = Schedule.of(Map.of("type", "stepwise.LRRangeTest", "start_lr", 1e-5),
				List.of(new ParamGroup(0.1, 0.9), new ParamGroup(3.0, null)));
		ScheduleState start = schedule.start(0);
		assertThat(start.groups().lr()).containsExactly(1e-5, 1e-5);
		assertThat(start.groups().initialLr()).containsExactly(1e-5, 1e-5);
		assertThat(schedule.normalizedSpec()).containsEntry("end_lr", 1.0)
			.containsEntry("num_steps", 100L)
			.containsEntry("mode", "exponential")
			.containsEntry("early_stop_threshold", 4.0)
			.containsEntry("beta", 0.98);
	}

	@Test
	void takesNoStepWithoutTheLoss() {
		Schedule schedule = Schedule.of(Map.of("type", "stepwise.LRRangeTest"), List.of(new ParamGroup(0.1, null)));
		assertThatThrownBy(() -> schedule.step(schedule.start(0), null)).isInstanceOf(StepException.class)
			.extracting((ex) -> ((StepException) ex).reason())
			.isEqualTo(StepException.Reason.METRIC_REQUIRED);
	}

	@Test
	void nullEarlyStopThresholdNeverStopsEarly() {
		Map<String, Object> spec = new java.util.HashMap<>(Map.of("type", "stepwise.LRRangeTest", "num_steps", 5));
		spec.put("early_stop_threshold", null);
		Schedule schedule = Schedule.of(spec, List.of(new ParamGroup(0.1, null)));
		assertThat(schedule.normalizedSpec()).containsEntry("early_stop_threshold", null);
		ScheduleState state = schedule.start(0);
		for (double loss : new double[] { 1.0, 100.0, 10_000.0, 1e6 }) {
			state = schedule.step(state, loss);
			assertThat(schedule.finished(state)).isFalse();
		}
		assertThat(schedule.finished(schedule.step(state, 1e8))).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidSpecs")
	void refusesWhatLightningCannotRun(Map<String, Object> spec, String field, String message) {
		assertThatThrownBy(() -> Schedule.of(spec, List.of(new ParamGroup(0.1, null))))
			.isInstanceOfSatisfying(InvalidScheduleException.class,
					(ex) -> assertThat(ex.errors().get(0).field()).isEqualTo(field))
			.hasMessageContaining(message);
	}

	static Stream<Object[]> invalidSpecs() {
		String type = "stepwise.LRRangeTest";
		return Stream.of(
				new Object[] { Map.of("type", type, "num_steps", 0), "scheduler.num_steps", "must be at least 1" },
				new Object[] { Map.of("type", type, "start_lr", 0.0), "scheduler.start_lr", "> 0 for the exponential" },
				new Object[] { Map.of("type", type, "start_lr", -1.0, "mode", "linear"), "scheduler.start_lr",
						"must be >= 0" },
				new Object[] { Map.of("type", type, "end_lr", -1.0), "scheduler.end_lr", "must be >= 0" },
				new Object[] { Map.of("type", type, "beta", 1.0), "scheduler.beta", "must be >= 0 and < 1" },
				new Object[] { Map.of("type", type, "mode", "cosine"), "scheduler.mode", "" },
				new Object[] { Map.of("type", type, "min_lr", 1e-7), "scheduler.min_lr", "unexpected keyword" });
	}

	@Test
	void cannotBeFastForwarded() {
		Schedule schedule = Schedule.of(Map.of("type", "stepwise.LRRangeTest"), List.of(new ParamGroup(0.1, null)));
		assertThatThrownBy(() -> schedule.start(3)).isInstanceOf(InvalidScheduleException.class)
			.hasMessageContaining("needs a metric for every step");
	}

}
