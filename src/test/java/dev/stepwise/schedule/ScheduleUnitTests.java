package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.stepwise.schedule.InvalidScheduleException.Kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Schedules in tokens or samples: the lr of a type that takes units is its closed form at
 * the units consumed so far, exactly the schedule in steps at that step count.
 */
class ScheduleUnitTests {

	private static final List<ParamGroup> GROUPS = List.of(new ParamGroup(0.1, null), new ParamGroup(0.02, 0.9));

	/** A spec of every type that takes units, with warmups and totals to cross. */
	static Stream<Map<String, Object>> specsTakingUnits() {
		return Stream.of(Map.of("type", "constant"), Map.of("type", "constant_with_warmup", "num_warmup_steps", 10L),
				Map.of("type", "linear", "num_warmup_steps", 10L, "num_training_steps", 100L),
				Map.of("type", "cosine", "num_warmup_steps", 10L, "num_training_steps", 100L),
				Map.of("type", "cosine_with_restarts", "num_warmup_steps", 10L, "num_training_steps", 100L,
						"num_cycles", 3.0),
				Map.of("type", "polynomial", "num_warmup_steps", 10L, "num_training_steps", 100L, "power", 2.0),
				Map.of("type", "inverse_sqrt", "num_warmup_steps", 10L),
				Map.of("type", "cosine_with_min_lr", "num_warmup_steps", 10L, "num_training_steps", 100L, "min_lr_rate",
						0.1),
				Map.of("type", "cosine_warmup_with_min_lr", "num_warmup_steps", 10L, "num_training_steps", 100L,
						"min_lr_rate", 0.1),
				Map.of("type", "warmup_stable_decay", "num_warmup_steps", 10L, "num_decay_steps", 30L,
						"num_training_steps", 100L, "decay_type", "1-sqrt"),
				Map.of("type", "deepspeed.LRRangeTest", "lr_range_test_step_size", 7L, "lr_range_test_staircase", true),
				Map.of("type", "deepspeed.OneCycle", "cycle_min_lr", 0.001, "cycle_max_lr", 0.01,
						"cycle_first_step_size", 20L, "cycle_first_stair_count", 4L, "decay_lr_rate", 0.1,
						"decay_step_size", 5L),
				Map.of("type", "deepspeed.WarmupLR", "warmup_num_steps", 10L),
				Map.of("type", "deepspeed.WarmupDecayLR", "total_num_steps", 100L, "warmup_num_steps", 10L),
				Map.of("type", "deepspeed.WarmupCosineLR", "total_num_steps", 100L, "warmup_num_steps", 10L,
						"warmup_type", "linear"));
	}

	@Test
	void theTypesTakingUnitsAreTheClosedFormsOfHuggingFaceAndDeepSpeed() {
		assertThat(SchedulerCatalogue.all().stream().filter(SchedulerType::takesUnits).map(SchedulerType::name))
			.containsExactlyElementsOf(specsTakingUnits().map((spec) -> (String) spec.get("type")).toList());
	}

	@ParameterizedTest
	@MethodSource("specsTakingUnits")
	void oneTokenPerStepIsTheScheduleInStepsBitForBit(Map<String, Object> spec) {
		Schedule steps = Schedule.of(spec, GROUPS);
		Schedule tokens = Schedule.of(inUnit(spec, "tokens"), GROUPS);
		ScheduleState stepped = steps.start(0);
		ScheduleState consumed = tokens.start(0);
		for (int i = 0; i < 120; i++) {
			stepped = steps.step(stepped, null);
			consumed = tokens.step(consumed, null, 1);
			assertThat(consumed.paramGroups()).as("step %d", i + 1).isEqualTo(stepped.paramGroups());
			assertThat(consumed.lastEpoch()).isEqualTo(stepped.lastEpoch());
			assertThat(consumed.consumed()).isEqualTo(i + 1);
		}
	}

	@ParameterizedTest
	@MethodSource("specsTakingUnits")
	void theLrAtAPositionIsTheScheduleInStepsAtThatStepCount(Map<String, Object> spec) {
		Schedule steps = Schedule.of(spec, GROUPS);
		List<ScheduleState> reference = steps.preview(0, 140, List.of());
		Schedule samples = Schedule.of(inUnit(spec, "samples"), GROUPS);
		ScheduleState state = samples.start(0);
		long position = 0;
		for (long consumed : new long[] { 3, 1, 7, 7, 12, 2, 40, 1, 30, 33 }) {
			state = samples.step(state, null, consumed);
			position += consumed;
			assertThat(state.paramGroups()).as("at %d samples", position)
				.isEqualTo(reference.get((int) position).paramGroups());
		}
		assertThat(state.lastEpoch()).isEqualTo(10);
		assertThat(state.consumed()).isEqualTo(136);
	}

	@Test
	void aChangingBatchSizeFollowsHuggingFacesLinearLambdaAtTheTokenPosition() {
		// get_linear_schedule_with_warmup's lr_lambda(t) = t / max(1, w) for t < w, else
		// max(0, (T - t) / max(1, T - w)), at t = the tokens consumed: w = 1000, T =
		// 10000
		Schedule schedule = Schedule.of(
				Map.of("type", "linear", "num_warmup_steps", 1000L, "num_training_steps", 10_000L, "unit", "tokens"),
				List.of(new ParamGroup(0.5, null)));
		ScheduleState state = schedule.start(0);
		List<Double> lrs = new ArrayList<>();
		for (long batch : new long[] { 300, 300, 600, 1200, 4000, 8000 }) {
			state = schedule.step(state, null, batch);
			lrs.add(state.lr(0));
		}
		assertThat(lrs).containsExactly(0.5 * (300.0 / 1000), 0.5 * (600.0 / 1000), 0.5 * ((10_000.0 - 1200) / 9000),
				0.5 * ((10_000.0 - 2400) / 9000), 0.5 * ((10_000.0 - 6400) / 9000), 0.5 * 0.0);
		assertThat(state.consumed()).isEqualTo(14_400);
		assertThat(state.lastEpoch()).isEqualTo(6);
	}

	@Test
	void aTypeWithoutAClosedFormIsRefusedNamingTheUnitAndTheType() {
		InvalidScheduleException refused = catchThrowableOfType(InvalidScheduleException.class,
				() -> Schedule.of(Map.of("type", "StepLR", "step_size", 2L, "unit", "tokens"), GROUPS));
		assertThat(refused.kind()).isEqualTo(Kind.INVALID);
		assertThat(refused.errors()).extracting(FieldError::field).containsExactly("scheduler.unit", "scheduler.type");
		assertThat(refused.errors().get(0).message()).contains("StepLR", "linear");
	}

	@Test
	void anUnknownUnitIsRefused() {
		InvalidScheduleException refused = catchThrowableOfType(InvalidScheduleException.class,
				() -> Schedule.of(Map.of("type", "constant", "unit", "bytes"), GROUPS));
		assertThat(refused.kind()).isEqualTo(Kind.INVALID);
		assertThat(refused.errors()).extracting(FieldError::field).containsExactly("scheduler.unit");
		InvalidScheduleException notAString = catchThrowableOfType(InvalidScheduleException.class,
				() -> Schedule.of(Map.of("type", "constant", "unit", 3L), GROUPS));
		assertThat(notAString.kind()).isEqualTo(Kind.MALFORMED);
	}

	@Test
	void stepsIsTheDefaultAndLeavesTheNormalizedSpecAsItWas() {
		Schedule explicit = Schedule.of(Map.of("type", "constant", "unit", "steps"), GROUPS);
		assertThat(explicit.unit()).isEqualTo(ScheduleUnit.STEPS);
		assertThat(explicit.normalizedSpec()).containsExactly(Map.entry("type", "constant"));
		assertThat(Schedule.of(Map.of("type", "constant", "unit", "tokens"), GROUPS).normalizedSpec())
			.containsEntry("unit", "tokens");
	}

	@Test
	void aScheduleInTokensIsNotFastForwarded() {
		Schedule schedule = Schedule.of(Map.of("type", "constant", "unit", "tokens"), GROUPS);
		InvalidScheduleException refused = catchThrowableOfType(InvalidScheduleException.class,
				() -> schedule.start(5));
		assertThat(refused.errors()).extracting(FieldError::field).containsExactly("last_epoch");
	}

	@Test
	void theConsumptionIsBoundedSoThePositionStaysExact() {
		Schedule schedule = Schedule.of(Map.of("type", "constant", "unit", "tokens"), GROUPS);
		ScheduleState state = schedule.step(schedule.start(0), null, Schedule.MAX_EPOCH - 1);
		assertThat(Schedule.maxConsumed(state)).isEqualTo(1);
		assertThatIllegalArgumentException().isThrownBy(() -> schedule.step(schedule.start(0), null, 0));
		ScheduleState last = state;
		assertThatIllegalArgumentException().isThrownBy(() -> schedule.step(last, null, 2));
	}

	@Test
	void theStateDocumentHoldsThePositionAndRestoresIt() {
		Schedule schedule = Schedule.of(inUnit(specsTakingUnits().toList().get(2), "tokens"), GROUPS);
		ScheduleState state = schedule.step(schedule.step(schedule.start(0), null, 40), null, 25);
		Map<String, Object> document = schedule.stateDict(state);
		assertThat(document).containsEntry("unit", "tokens").containsEntry("consumed", 65L);
		ScheduleState restored = schedule.restore(document);
		assertThat(restored.consumed()).isEqualTo(65);
		assertThat(schedule.step(restored, null, 5).paramGroups())
			.isEqualTo(schedule.step(state, null, 5).paramGroups());
		Map<String, Object> withoutPosition = new LinkedHashMap<>(document);
		withoutPosition.remove("consumed");
		InvalidStateException missing = catchThrowableOfType(InvalidStateException.class,
				() -> schedule.restore(withoutPosition));
		assertThat(missing.getMessage()).contains("consumed");
		Map<String, Object> otherUnit = new LinkedHashMap<>(document);
		otherUnit.put("unit", "samples");
		assertThat(catchThrowableOfType(InvalidStateException.class, () -> schedule.restore(otherUnit)).getMessage())
			.contains("unit");
	}

	@Test
	void aScheduleInStepsKeepsItsStateDocument() {
		Schedule schedule = Schedule.of(specsTakingUnits().toList().get(2), GROUPS);
		assertThat(schedule.stateDict(schedule.start(3))).doesNotContainKeys("unit", "consumed");
	}

	@Test
	void aPreviewTakesOneConsumptionPerStepOrOneForAll() {
		Schedule schedule = Schedule.of(inUnit(specsTakingUnits().toList().get(2), "tokens"), GROUPS);
		List<ScheduleState> each = new ArrayList<>();
		schedule.preview(0, 3, List.of(), List.of(5L, 5L, 5L), each::add);
		List<ScheduleState> all = new ArrayList<>();
		schedule.preview(0, 3, List.of(), List.of(5L), all::add);
		assertThat(all).extracting(ScheduleState::consumed).containsExactly(0L, 5L, 10L, 15L);
		assertThat(all).extracting(ScheduleState::paramGroups)
			.containsExactlyElementsOf(each.stream().map(ScheduleState::paramGroups).toList());
		assertThatIllegalArgumentException().isThrownBy(() -> schedule.preview(0, 3, List.of(), List.of(), all::add));
	}

	private static Map<String, Object> inUnit(Map<String, Object> spec, String unit) {
		Map<String, Object> result = new LinkedHashMap<>(spec);
		result.put("unit", unit);
		return result;
	}

}
