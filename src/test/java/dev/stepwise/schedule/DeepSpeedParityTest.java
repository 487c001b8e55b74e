package dev.stepwise.schedule;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.stepwise.schedule.InvalidScheduleException.Kind;
import dev.stepwise.schedule.ParityTraces.Trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The deepspeed.* schedules against the golden traces of
 * {@code src/test/python/deepspeed_reference.py}, a transcription of DeepSpeed's
 * {@code lr_schedules.py} (DeepSpeed itself cannot be installed here): every state after
 * registration and after each step, the state document, the step DeepSpeed refuses, and
 * every case DeepSpeed (or Stepwise on purpose) rejects, with the field named. Every
 * value agrees to the last bit.
 */
class DeepSpeedParityTest {

	static Stream<Trace> cases() {
		return ParityTraces.load("deepspeed-cases.json", "deepspeed-expected.json").stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void matchesTheTranscription(Trace trace) {
		if (trace.rejected()) {
			assertRejected(trace);
			return;
		}
		Schedule schedule = Schedule.of(trace.scheduler(), trace.paramGroups());
		List<Map<String, Object>> expected = trace.states();
		ScheduleState state = schedule.start(trace.lastEpoch());
		assertSameState(trace, schedule, state, expected.get(0));
		for (int i = 1; i < expected.size(); i++) {
			state = schedule.step(state, null);
			assertSameState(trace, schedule, state, expected.get(i));
			Map<String, Object> document = schedule.stateDict(state);
			assertThat(schedule.stateDict(schedule.restore(document))).as("%s restored", trace).isEqualTo(document);
		}
		if (trace.refusesAStep()) {
			ScheduleState last = state;
			assertThatExceptionOfType(StepException.class).isThrownBy(() -> schedule.step(last, null))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(StepException.Reason.REFUSED))
				.withMessageContaining("float division by zero");
		}
	}

	private static void assertRejected(Trace trace) {
		Kind kind = (trace.torchError() != null && trace.expectStatus().size() != 1)
				? ParityTraces.Trace.kindOf(trace.torchError()) : trace.rejectionKind();
		assertThatExceptionOfType(InvalidScheduleException.class)
			.isThrownBy(() -> Schedule.of(trace.scheduler(), trace.paramGroups()).start(trace.lastEpoch()))
			.satisfies((ex) -> {
				assertThat(ex.kind()).as("%s: kind for %s", trace, trace.torchError()).isEqualTo(kind);
				assertThat(ex.errors()).extracting(FieldError::field).contains((String) trace.input().get("field"));
			});
	}

	@SuppressWarnings("unchecked")
	private static void assertSameState(Trace trace, Schedule schedule, ScheduleState actual,
			Map<String, Object> expected) {
		long epoch = ((Number) expected.get("last_epoch")).longValue();
		assertThat(actual.lastEpoch()).as("%s last_epoch", trace).isEqualTo(epoch);
		assertThat(schedule.stateDict(actual)).as("%s state", trace)
			.containsEntry("last_batch_iteration", ((Number) expected.get("last_batch_iteration")).longValue());
		List<Map<String, Object>> groups = (List<Map<String, Object>>) expected.get("param_groups");
		List<ParamGroup> actualGroups = actual.paramGroups();
		assertThat(actualGroups).hasSameSizeAs(groups);
		for (int g = 0; g < groups.size(); g++) {
			String what = trace + " epoch " + epoch + " group " + g;
			assertSame(what + " lr", actualGroups.get(g).lr(), ((Number) groups.get(g).get("lr")).doubleValue());
			Number momentum = (Number) groups.get(g).get("momentum");
			if (momentum == null) {
				assertThat(actualGroups.get(g).momentum()).as("%s momentum", what).isNull();
			}
			else {
				assertThat(actualGroups.get(g).momentum()).as("%s momentum", what).isNotNull();
				assertSame(what + " momentum", actualGroups.get(g).momentum(), momentum.doubleValue());
			}
		}
	}

	/**
	 * Bit for bit: Java's {@link Math#log} and {@link Math#cos} give the C library's
	 * values on every input of the traces.
	 */
	private static void assertSame(String what, double actual, double expected) {
		assertThat(actual).as(what).isEqualTo(expected);
	}

	/**
	 * A registration at {@code last_epoch = k} is the state {@code k} steps give, to the
	 * bit, at a cost that does not grow with {@code k}.
	 */
	@Test
	void fastForwardJumpsToTheStateSteppingReaches() {
		for (Trace trace : cases().filter((trace) -> !trace.rejected() && trace.lastEpoch() == 0).toList()) {
			Schedule schedule = Schedule.of(trace.scheduler(), trace.paramGroups());
			ScheduleState stepped = schedule.start(0);
			for (int k = 1; k <= trace.steps() && !trace.refusesAStep(); k++) {
				stepped = schedule.step(stepped, null);
				assertThat(schedule.stateDict(schedule.start(k))).as("%s at %d", trace, k)
					.isEqualTo(schedule.stateDict(stepped));
			}
			assertThat(schedule.cost(Schedule.MAX_FAST_FORWARD, 0)).as("%s", trace)
				.isEqualTo(schedule.cost(1, 0))
				.isLessThanOrEqualTo(schedule.cost(0, 1));
		}
	}

	@Test
	void stateDocumentIsDeepSpeedsAndRoundTrips() {
		Schedule schedule = Schedule.of(Map.of("type", "deepspeed.WarmupDecayLR", "total_num_steps", 100L),
				List.of(new ParamGroup(0.1, null)));
		ScheduleState state = schedule.start(7);
		Map<String, Object> document = schedule.stateDict(state);
		assertThat(document).containsEntry("type", "deepspeed.WarmupDecayLR")
			.containsEntry("last_epoch", 7L)
			.containsEntry("last_batch_iteration", 6L)
			.doesNotContainKeys("base_lrs", "_step_count", "warmup_num_steps");
		ScheduleState restored = schedule.restore(document);
		assertThat(schedule.stateDict(schedule.step(restored, null)))
			.isEqualTo(schedule.stateDict(schedule.step(state, null)));
		Map<String, Object> tampered = new java.util.LinkedHashMap<>(document);
		tampered.put("last_batch_iteration", -2L);
		assertThatExceptionOfType(InvalidStateException.class).isThrownBy(() -> schedule.restore(tampered));
	}

	@Test
	void chainedSchedulerStepsADeepSpeedScheduleAsItStepsAlone() {
		Map<String, Object> warmup = Map.of("type", "deepspeed.WarmupLR", "warmup_num_steps", 5L, "warmup_max_lr", 0.1);
		List<ParamGroup> groups = List.of(new ParamGroup(0.05, 0.9));
		Schedule alone = Schedule.of(warmup, groups);
		// ExponentialLR multiplies what the DeepSpeed schedule wrote, as in PyTorch
		Schedule chained = Schedule.of(Map.of("type", "ChainedScheduler", "schedulers",
				List.of(warmup, Map.of("type", "ExponentialLR", "gamma", 0.5))), groups);
		ScheduleState a = alone.start(3);
		ScheduleState c = chained.start(3);
		for (int i = 0; i < 4; i++) {
			a = alone.step(a, null);
			c = chained.step(c, null);
			assertThat(c.paramGroups().get(0).lr()).isEqualTo(a.paramGroups().get(0).lr() * 0.5);
		}
	}

	@Test
	void sequentialLrRefusesADeepSpeedScheduleNamingIt() {
		Map<String, Object> spec = Map.of("type", "SequentialLR", "milestones", List.of(5L), "schedulers", List.of(
				Map.of("type", "ConstantLR"),
				Map.of("type", "ChainedScheduler", "schedulers", List.of(Map.of("type", "deepspeed.LRRangeTest")))));
		assertThatExceptionOfType(InvalidScheduleException.class)
			.isThrownBy(() -> Schedule.of(spec, List.of(new ParamGroup(0.1, null))))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(Kind.INVALID))
			.satisfies((ex) -> assertThat(ex.errors().get(0).field()).isEqualTo("scheduler.schedulers[1]"))
			.withMessageContaining("deepspeed.LRRangeTest");
	}

	@Test
	void oneCycleLastsItsCycleAndTheDecaysTheirTotal() {
		assertThat(SchedulerCatalogue.length(Map.of("type", "deepspeed.OneCycle", "cycle_first_step_size", 10L)))
			.hasValue(20);
		assertThat(SchedulerCatalogue
			.length(Map.of("type", "deepspeed.OneCycle", "cycle_first_step_size", 10L, "cycle_second_step_size", 5L)))
			.hasValue(15);
		assertThat(SchedulerCatalogue.length(Map.of("type", "deepspeed.WarmupCosineLR", "total_num_steps", 70L)))
			.hasValue(70);
		assertThat(SchedulerCatalogue.length(Map.of("type", "deepspeed.WarmupLR"))).isEmpty();
	}

}
