package dev.stepwise.schedule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.stepwise.schedule.ScheduleAmendment.Amended;
import dev.stepwise.schedule.ScheduleAmendment.DecayNow;
import dev.stepwise.schedule.ScheduleAmendment.Extend;
import dev.stepwise.schedule.ScheduleAmendment.NewSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Amended schedules as pure functions: each change's formula, continuity at the
 * amendment's epoch, and the state documents of an amended run.
 */
class ScheduleAmendmentTest {

	private static final List<ParamGroup> GROUPS = List.of(new ParamGroup(0.1, 0.9), new ParamGroup(0.01, 0.9));

	private static ScheduleState stepTo(Schedule schedule, ScheduleState state, long epoch) {
		ScheduleState current = state;
		while (current.lastEpoch() < epoch) {
			current = schedule.step(current, null);
		}
		return current;
	}

	private static Map<String, Object> wsd() {
		Map<String, Object> spec = new LinkedHashMap<>();
		spec.put("type", "warmup_stable_decay");
		spec.put("num_warmup_steps", 10L);
		spec.put("num_decay_steps", 100L);
		spec.put("num_training_steps", 1000L);
		return spec;
	}

	@Test
	void decayNowFollowsTheWsdShapesFromTheLrInForce() {
		for (String shape : ScheduleAmendment.DECAY_TYPES) {
			Schedule base = Schedule.of(wsd(), GROUPS);
			ScheduleState at = stepTo(base, base.start(0), 300);
			Amended amended = ScheduleAmendment.amend(base, at, new DecayNow(50, shape, 0.1), true, GROUPS);
			assertThat(amended.state().lastEpoch()).isEqualTo(300);
			ScheduleState state = amended.state();
			for (int s = 0; s <= 60; s++) {
				double p = Math.min(s, 50) / 50.0;
				double f = switch (shape) {
					case "linear" -> 1 - p;
					case "cosine" -> 0.5 * (1 + Math.cos(Math.PI * p));
					default -> 1 - Math.sqrt(p);
				};
				for (int g = 0; g < 2; g++) {
					double x = at.lr(g);
					assertThat(state.lr(g)).as("%s, group %d at epoch %d", shape, g, 300 + s)
						.isCloseTo(x * (0.1 + 0.9 * f), within(1e-15 * x + 1e-18));
				}
				assertThat(state.lastEpoch()).isEqualTo(300 + s);
				state = amended.schedule().step(state, null);
			}
		}
	}

	@Test
	void decayNowFromAResumedCheckpointEqualsDecayNowInTheRun() {
		Schedule base = Schedule.of(wsd(), GROUPS);
		ScheduleState at = stepTo(base, base.start(0), 400);
		ScheduleState resumed = base.fromStateDict(base.stateDict(at));
		Amended live = ScheduleAmendment.amend(base, at, new DecayNow(20, "1-sqrt", 0.0), true, GROUPS);
		Amended fromCheckpoint = ScheduleAmendment.amend(base, resumed, new DecayNow(20, "1-sqrt", 0.0), true, GROUPS);
		ScheduleState a = live.state();
		ScheduleState b = fromCheckpoint.state();
		for (int s = 0; s < 25; s++) {
			assertThat(b.paramGroups()).isEqualTo(a.paramGroups());
			a = live.schedule().step(a, null);
			b = fromCheckpoint.schedule().step(b, null);
		}
		assertThat(a.lr(0)).isZero();
	}

	@Test
	void decayNowIsRefusedWhereTheLrIsNotSteady() {
		Schedule base = Schedule.of(wsd(), GROUPS);
		ScheduleState warmup = stepTo(base, base.start(0), 5);
		assertThatExceptionOfType(InvalidScheduleException.class)
			.isThrownBy(() -> ScheduleAmendment.amend(base, warmup, new DecayNow(5, "linear", 0), true, GROUPS))
			.satisfies((ex) -> assertThat(ex.errors().get(0).field()).isEqualTo("decay_now"));
		Schedule oneCycle = Schedule.of(Map.of("type", "OneCycleLR", "max_lr", 0.1, "total_steps", 10L), GROUPS);
		assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(
				() -> ScheduleAmendment.amend(oneCycle, oneCycle.start(0), new DecayNow(5, "linear", 0), true, GROUPS));
		Schedule plateau = Schedule.of(Map.of("type", "ReduceLROnPlateau"), GROUPS);
		assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(
				() -> ScheduleAmendment.amend(plateau, plateau.start(0), new DecayNow(5, "square", 0), true, GROUPS))
			.satisfies((ex) -> assertThat(ex.errors().get(0).field()).isEqualTo("decay_now.decay_type"));
	}

	@Test
	void extendedOneCycleContinuesWhereItWouldHaveRaised() {
		Schedule base = Schedule.of(Map.of("type", "OneCycleLR", "max_lr", List.of(0.1, 0.01), "total_steps", 100L),
				GROUPS);
		ScheduleState end = stepTo(base, base.start(0), 100);
		// PyTorch: "Tried to step 102 times. The specified number of total steps is 100"
		assertThatExceptionOfType(StepException.class).isThrownBy(() -> base.step(end, null));
		Amended amended = ScheduleAmendment.amend(base, end, new Extend("total_steps", 150), true, GROUPS);
		Schedule longer = Schedule.of(Map.of("type", "OneCycleLR", "max_lr", List.of(0.1, 0.01), "total_steps", 150L),
				GROUPS);
		ScheduleState reference = stepTo(longer, longer.start(0), 100);
		ScheduleState state = amended.state();
		for (long t = 100; t <= 150; t++) {
			for (int g = 0; g < 2; g++) {
				double expected = end.lr(g) * reference.lr(g) / stepTo(longer, longer.start(0), 100).lr(g);
				assertThat(state.lr(g)).as("group %d at %d", g, t).isCloseTo(expected, within(1e-15));
			}
			if (t < 150) {
				state = amended.schedule().step(state, null);
				reference = longer.step(reference, null);
			}
		}
		ScheduleState last = state;
		assertThatExceptionOfType(StepException.class).isThrownBy(() -> amended.schedule().step(last, null));
	}

	@Test
	void extendedLinearDecayIsTheRemainderStretchedToTheNewTotal() {
		Map<String, Object> spec = Map.of("type", "linear", "num_warmup_steps", 10L, "num_training_steps", 100L);
		Schedule base = Schedule.of(spec, GROUPS);
		ScheduleState at = stepTo(base, base.start(0), 60);
		Amended amended = ScheduleAmendment.amend(base, at, new Extend("num_training_steps", 200), true, GROUPS);
		ScheduleState state = amended.state();
		for (long t = 60; t <= 210; t++) {
			double expected = Math.max(0, at.lr(0) * (200 - t) / (200 - 60.0));
			assertThat(state.lr(0)).as("epoch %d", t).isCloseTo(expected, within(1e-15));
			state = amended.schedule().step(state, null);
		}
	}

	@Test
	void extendWithoutContinuityIsTheScheduleAsRegisteredWithTheNewTotal() {
		Map<String, Object> spec = Map.of("type", "CosineAnnealingLR", "T_max", 50L);
		Schedule base = Schedule.of(spec, GROUPS);
		ScheduleState at = stepTo(base, base.start(0), 30);
		Amended amended = ScheduleAmendment.amend(base, at, new Extend("T_max", 80), false, GROUPS);
		Schedule longer = Schedule.of(Map.of("type", "CosineAnnealingLR", "T_max", 80L), GROUPS);
		ScheduleState reference = stepTo(longer, longer.start(0), 30);
		ScheduleState state = amended.state();
		for (int i = 0; i < 50; i++) {
			assertThat(state.paramGroups()).isEqualTo(reference.paramGroups());
			state = amended.schedule().step(state, null);
			reference = longer.step(reference, null);
		}
	}

	@Test
	void extendNamesTheLengthArgumentAndATotalBeyondTheEpoch() {
		Schedule base = Schedule.of(Map.of("type", "CosineAnnealingLR", "T_max", 50L), GROUPS);
		ScheduleState at = stepTo(base, base.start(0), 30);
		assertThatExceptionOfType(InvalidScheduleException.class)
			.isThrownBy(() -> ScheduleAmendment.amend(base, at, new Extend("total_steps", 80), true, GROUPS))
			.satisfies((ex) -> assertThat(ex.errors().get(0).field()).isEqualTo("extend.total_steps"))
			.withMessageContaining("T_max");
		assertThatExceptionOfType(InvalidScheduleException.class)
			.isThrownBy(() -> ScheduleAmendment.amend(base, at, new Extend("T_max", 30), true, GROUPS))
			.satisfies((ex) -> assertThat(ex.errors().get(0).field()).isEqualTo("extend.T_max"));
		Schedule step = Schedule.of(Map.of("type", "StepLR", "step_size", 3L), GROUPS);
		assertThatExceptionOfType(InvalidScheduleException.class)
			.isThrownBy(() -> ScheduleAmendment.amend(step, step.start(0), new Extend("T_max", 30), true, GROUPS))
			.satisfies((ex) -> assertThat(ex.errors().get(0).field()).isEqualTo("extend"));
	}

	@Test
	void aNewSpecStartsFromTheLrInForceAtItsOwnEpochZero() {
		Schedule base = Schedule.of(Map.of("type", "StepLR", "step_size", 5L, "gamma", 0.5), GROUPS);
		ScheduleState at = stepTo(base, base.start(0), 12);
		Amended amended = ScheduleAmendment.amend(base, at, new NewSpec(Map.of("type", "ExponentialLR", "gamma", 0.9)),
				true, GROUPS);
		assertThat(amended.schedule().origin()).isEqualTo(12);
		ScheduleState state = amended.state();
		for (int s = 0; s < 5; s++) {
			assertThat(state.lastEpoch()).isEqualTo(12 + s);
			assertThat(state.lr(0)).isCloseTo(0.025 * Math.pow(0.9, s), within(1e-16));
			state = amended.schedule().step(state, null);
		}
		Amended registered = ScheduleAmendment.amend(base, at,
				new NewSpec(Map.of("type", "ExponentialLR", "gamma", 0.9)), false, GROUPS);
		assertThat(registered.state().lr(0)).isEqualTo(0.1);
	}

	@Test
	void stateDocumentsOfAnAmendedRunRoundTripAndCountFromTheRegistration() {
		Schedule base = Schedule.of(Map.of("type", "linear", "num_warmup_steps", 0L, "num_training_steps", 20L),
				GROUPS);
		ScheduleState at = stepTo(base, base.start(0), 15);
		Amended amended = ScheduleAmendment.amend(base, at, new Extend("num_training_steps", 40), true, GROUPS);
		Schedule rebuilt = amended.source().build();
		ScheduleState later = stepTo(amended.schedule(), amended.state(), 25);
		Map<String, Object> document = amended.schedule().stateDict(later);
		assertThat(document).containsEntry("last_epoch", 25L).containsKey("param_groups");
		ScheduleState restored = rebuilt.restore(document);
		assertThat(restored.lastEpoch()).isEqualTo(25);
		assertThat(rebuilt.stateDict(restored)).isEqualTo(document);
		assertThat(rebuilt.step(restored, null).paramGroups())
			.isEqualTo(amended.schedule().step(later, null).paramGroups());
		// a new spec's schedulers count from the amendment, its documents from the
		// registration
		Schedule replaced = ScheduleAmendment
			.amend(base, at, new NewSpec(Map.of("type", "StepLR", "step_size", 2L)), true, GROUPS)
			.source()
			.build();
		ScheduleState stepped = stepTo(replaced, replaced.start(0), 18);
		Map<String, Object> replacedDocument = replaced.stateDict(stepped);
		assertThat(replacedDocument).containsEntry("last_epoch", 18L);
		assertThat(replaced.restore(replacedDocument).lr(0)).isEqualTo(stepped.lr(0));
		Map<String, Object> early = new LinkedHashMap<>(replacedDocument);
		early.put("last_epoch", 10L);
		assertThatExceptionOfType(InvalidStateException.class).isThrownBy(() -> replaced.restore(early));
	}

}
