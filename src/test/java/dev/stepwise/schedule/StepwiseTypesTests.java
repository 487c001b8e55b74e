package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.stepwise.schedule.InvalidScheduleException.Kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * What stepwise.WarmupPlateau and stepwise.PerGroup add beyond their golden traces
 * ({@link StepwiseTypesParityTest}): the metric rules, the fields refusals name, the
 * state document and the limits.
 */
class StepwiseTypesTests {

	private static final List<ParamGroup> ONE_GROUP = List.of(new ParamGroup(0.1, null));

	private static final List<ParamGroup> TWO_GROUPS = List.of(new ParamGroup(0.1, null), new ParamGroup(0.01, null));

	private static Map<String, Object> warmupPlateau(long warmupSteps) {
		return Map.of("type", "stepwise.WarmupPlateau", "warmup_steps", warmupSteps, "patience", 0L);
	}

	private static Map<String, Object> perGroup(Object... children) {
		return Map.of("type", "stepwise.PerGroup", "schedulers", List.of(children));
	}

	private static void assertRefused(Map<String, Object> spec, List<ParamGroup> groups, Kind kind, String field,
			String message) {
		assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> Schedule.of(spec, groups).start(0))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(kind);
				assertThat(ex.errors()).singleElement().satisfies((error) -> {
					assertThat(error.field()).isEqualTo(field);
					assertThat(error.message()).contains(message);
				});
			});
	}

	@Nested
	class WarmupPlateauMetrics {

		@Test
		void aMetricIsOptionalDuringTheWarmupAndRequiredAfter() {
			Schedule schedule = Schedule.of(warmupPlateau(2), ONE_GROUP);
			ScheduleState state = schedule.step(schedule.step(schedule.start(0), null), 5.0);
			ScheduleState warmedUp = state;
			assertThat(warmedUp.lr(0)).isEqualTo(0.1);
			assertThatExceptionOfType(StepException.class).isThrownBy(() -> schedule.step(warmedUp, null))
				.satisfies((ex) -> {
					assertThat(ex.reason()).isEqualTo(StepException.Reason.METRIC_REQUIRED);
					assertThat(ex.getMessage()).isEqualTo(
							"stepwise.WarmupPlateau needs the validation metric for every step after its first 2: send"
									+ " \"metric\"");
				});
			// the metric of step 3 is the first counted: best, then a bad epoch reduces
			state = schedule.step(warmedUp, 1.0);
			assertThat(state.lr(0)).isEqualTo(0.1);
			state = schedule.step(state, 1.0);
			assertThat(state.lr(0)).isCloseTo(0.01, within(1e-15));
		}

		@Test
		void fastForwardsWithinTheWarmupOnly() {
			Schedule schedule = Schedule.of(warmupPlateau(3), ONE_GROUP);
			assertThat(schedule.start(3).lr(0)).isEqualTo(0.1);
			assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> schedule.start(4))
				.satisfies((ex) -> assertThat(ex.errors()).singleElement().satisfies((error) -> {
					assertThat(error.field()).isEqualTo("last_epoch");
					assertThat(error.message()).startsWith("stepwise.WarmupPlateau needs a metric for every step after"
							+ " its first 3, so it can be fast-forwarded to at most last_epoch 3, got 4");
				}));
		}

		@Test
		void refusesArgumentsNamingThem() {
			assertRefused(warmupPlateau(0), ONE_GROUP, Kind.INVALID, "scheduler.warmup_steps",
					"without a warmup, use ReduceLROnPlateau");
			assertRefused(Map.of("type", "stepwise.WarmupPlateau", "warmup_steps", 2L, "warmup_start_factor", 1.5),
					ONE_GROUP, Kind.INVALID, "scheduler.warmup_start_factor", "greater than 0 and less or equal to 1");
			assertRefused(Map.of("type", "stepwise.WarmupPlateau", "warmup_steps", 2.0), ONE_GROUP, Kind.INVALID,
					"scheduler.warmup_steps", "must be an integer, got 2.0");
			assertRefused(Map.of("type", "stepwise.WarmupPlateau", "warmup_steps", 2L, "min_lr", List.of(0.0, 0.0)),
					ONE_GROUP, Kind.INVALID, "scheduler.min_lr", "");
			assertRefused(Map.of("type", "stepwise.WarmupPlateau", "warmup_step", 2L), ONE_GROUP, Kind.MALFORMED,
					"scheduler.warmup_step", "did you mean 'warmup_steps'?");
		}

	}

	@Nested
	class WarmupPlateauState {

		private final Schedule schedule = Schedule.of(warmupPlateau(2), ONE_GROUP);

		@Test
		void holdsTheWarmupAndFromItsEndThePlateau() {
			ScheduleState during = this.schedule.step(this.schedule.start(0), null);
			Map<String, Object> document = this.schedule.stateDict(during);
			assertThat(document).containsKeys("warmup_steps", "patience", "min_lrs", "_warmup")
				.doesNotContainKey("_plateau");
			ScheduleState after = this.schedule.step(this.schedule.step(during, null), 3.0);
			Map<String, Object> later = this.schedule.stateDict(after);
			assertThat(later).containsEntry("last_epoch", 3L);
			assertThat(later.get("_plateau")).isEqualTo(Map.of("last_epoch", 1L, "best", 3.0, "num_bad_epochs", 0L,
					"cooldown_counter", 0L, "_last_lr", List.of(0.1)));
			assertThat(this.schedule.stateDict(this.schedule.restore(later))).isEqualTo(later);
		}

		@Test
		void refusesAPlateauThatStepsCouldNotReach() {
			Map<String, Object> during = new LinkedHashMap<>(
					this.schedule.stateDict(this.schedule.step(this.schedule.start(0), null)));
			during.put("_plateau", Map.of("last_epoch", 0L, "best", 1.0, "num_bad_epochs", 0L, "cooldown_counter", 0L,
					"_last_lr", List.of(0.1)));
			assertThatExceptionOfType(InvalidStateException.class).isThrownBy(() -> this.schedule.restore(during))
				.satisfies((ex) -> assertThat(ex.field()).isEqualTo("state._plateau"));
			Map<String, Object> after = new LinkedHashMap<>(this.schedule.stateDict(this.schedule
				.step(this.schedule.step(this.schedule.step(this.schedule.start(0), null), null), 1.0)));
			@SuppressWarnings("unchecked")
			Map<String, Object> plateau = new LinkedHashMap<>((Map<String, Object>) after.get("_plateau"));
			plateau.put("last_epoch", 5L);
			after.put("_plateau", plateau);
			assertThatExceptionOfType(InvalidStateException.class).isThrownBy(() -> this.schedule.restore(after))
				.satisfies((ex) -> assertThat(ex.field()).isEqualTo("state._plateau.last_epoch"));
		}

		@Test
		void refusesAnotherPatience() {
			Map<String, Object> document = new LinkedHashMap<>(this.schedule.stateDict(this.schedule.start(0)));
			document.put("patience", 4L);
			assertThatExceptionOfType(InvalidStateException.class).isThrownBy(() -> this.schedule.restore(document))
				.satisfies((ex) -> assertThat(ex.errors()).extracting(FieldError::field)
					.containsExactly("state.patience"));
		}

	}

	@Nested
	class PerGroupChildren {

		@Test
		void needsOneSchedulerPerGroup() {
			assertRefused(perGroup(Map.of("type", "StepLR", "step_size", 2L)), TWO_GROUPS, Kind.INVALID,
					"scheduler.schedulers",
					"stepwise.PerGroup takes one scheduler per param group: got 1 schedulers for 2 param groups");
		}

		@Test
		void aChildsErrorNamesTheChild() {
			assertRefused(
					perGroup(Map.of("type", "StepLR", "step_size", 2L),
							Map.of("type", "LinearLR", "start_factor", 2.0)),
					TWO_GROUPS, Kind.INVALID, "scheduler.schedulers[1].start_factor", "greater than 0");
			assertRefused(
					perGroup(Map.of("type", "StepLR", "step_size", 2L),
							Map.of("type", "ReduceLROnPlateau", "min_lr", List.of(0.0, 0.0))),
					TWO_GROUPS, Kind.INVALID, "scheduler.schedulers[1].min_lr",
					"min_lr has 2 values, param_groups has 1.");
		}

		@Test
		void cannotHoldItself() {
			assertRefused(perGroup(perGroup(Map.of("type", "StepLR", "step_size", 2L))), ONE_GROUP, Kind.INVALID,
					"scheduler.schedulers[0]", "stepwise.PerGroup cannot hold another stepwise.PerGroup");
		}

		@Test
		void needsAMetricWhereAChildDoes() {
			Schedule withoutMetric = Schedule.of(
					perGroup(Map.of("type", "StepLR", "step_size", 2L), Map.of("type", "ExponentialLR", "gamma", 0.5)),
					TWO_GROUPS);
			assertThat(withoutMetric.step(withoutMetric.start(4), null).paramGroups()).extracting(ParamGroup::lr)
				.containsExactly(0.1 * 0.1 * 0.1, 0.01 * Math.pow(0.5, 5));
			Schedule warmup = Schedule.of(perGroup(Map.of("type", "StepLR", "step_size", 2L), warmupPlateau(2)),
					TWO_GROUPS);
			ScheduleState warm = warmup.start(2);
			assertThatExceptionOfType(StepException.class).isThrownBy(() -> warmup.step(warm, null))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(StepException.Reason.METRIC_REQUIRED));
			assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> warmup.start(3))
				.satisfies((ex) -> assertThat(ex.errors()).extracting(FieldError::field).containsExactly("last_epoch"));
		}

		@Test
		void reportsMomentumWhereItsChildCyclesIt() {
			Schedule schedule = Schedule.of(perGroup(Map.of("type", "OneCycleLR", "max_lr", 0.1, "total_steps", 10L),
					Map.of("type", "StepLR", "step_size", 2L)), TWO_GROUPS);
			List<ParamGroup> groups = schedule.start(0).paramGroups();
			assertThat(groups.get(0).momentum()).isEqualTo(0.95);
			assertThat(groups.get(1).momentum()).isNull();
		}

		@Test
		@SuppressWarnings("unchecked")
		void stateDocumentHoldsEachChildsOnItsGroup() {
			Schedule schedule = Schedule.of(
					perGroup(Map.of("type", "StepLR", "step_size", 2L), Map.of("type", "ReduceLROnPlateau")),
					TWO_GROUPS);
			Map<String, Object> document = schedule.stateDict(schedule.step(schedule.start(0), 1.0));
			assertThat(document.get("_schedulers")).asList().hasSize(2).satisfies((children) -> {
				assertThat((Map<String, Object>) children.get(0)).containsEntry("_last_lr", List.of(0.1))
					.containsEntry("step_size", 2L);
				assertThat((Map<String, Object>) children.get(1)).containsEntry("best", 1.0)
					.containsEntry("min_lrs", List.of(0.0));
			});
			assertThat(schedule.stateDict(schedule.restore(document))).isEqualTo(document);
			Map<String, Object> changed = new LinkedHashMap<>(document);
			List<Object> children = new ArrayList<>((List<?>) document.get("_schedulers"));
			Map<String, Object> first = new LinkedHashMap<>((Map<String, Object>) children.get(0));
			first.put("step_size", 3L);
			children.set(0, first);
			changed.put("_schedulers", children);
			assertThatExceptionOfType(InvalidStateException.class).isThrownBy(() -> schedule.restore(changed))
				.satisfies((ex) -> assertThat(ex.errors()).extracting(FieldError::field)
					.containsExactly("state._schedulers[0].step_size"));
		}

	}

	@Nested
	class Composites {

		@Test
		void sequentialLrCannotHoldAWarmupPlateau() {
			assertRefused(
					Map.of("type", "SequentialLR", "milestones", List.of(2L), "schedulers",
							List.of(Map.of("type", "ConstantLR"), warmupPlateau(2))),
					ONE_GROUP, Kind.INVALID, "scheduler.schedulers[1]",
					"SequentialLR cannot hold a stepwise.WarmupPlateau (index 1): stepwise.WarmupPlateau steps on a"
							+ " metric");
		}

		@Test
		void chainedSchedulerCannotHoldAPerGroup() {
			assertRefused(
					Map.of("type", "ChainedScheduler", "schedulers", List.of(perGroup(Map.of("type", "ConstantLR")))),
					ONE_GROUP, Kind.INVALID, "scheduler.schedulers[0]", "stepwise.PerGroup is a root scheduler only");
		}

	}

	@Nested
	class Limits {

		private static List<ParamGroup> groups(int count) {
			return Collections.nCopies(count, new ParamGroup(0.1, 0.9));
		}

		private static Map<String, Object> perGroupOf(int groups, Map<String, Object> child) {
			return Map.of("type", "stepwise.PerGroup", "schedulers", Collections.nCopies(groups, child));
		}

		@Test
		void holdsAsManyChildrenAsTheMostGroups() {
			Schedule schedule = Schedule.of(
					perGroupOf(Schedule.MAX_GROUPS, Map.of("type", "ExponentialLR", "gamma", 0.5)),
					groups(Schedule.MAX_GROUPS));
			assertThat(schedule.stateSize()).isEqualTo(2 * Schedule.MAX_GROUPS);
			assertThat(schedule.step(schedule.start(0), null).lr(Schedule.MAX_GROUPS - 1)).isEqualTo(0.05);
		}

		@Test
		void countsEveryChildsSchedulersBeforeBuildingAny() {
			Map<String, Object> chained = Map.of("type", "ChainedScheduler", "schedulers",
					Collections.nCopies(16, Map.of("type", "ConstantLR")));
			long started = System.nanoTime();
			assertRefused(perGroupOf(Schedule.MAX_GROUPS, chained), groups(Schedule.MAX_GROUPS), Kind.INVALID,
					"scheduler", "schedulers x param groups must not exceed 16384, got 18432 (the children of"
							+ " stepwise.PerGroup on one group each)");
			assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
			assertRefused(Map.of("type", "ChainedScheduler", "schedulers", Collections.nCopies(64, warmupPlateau(1))),
					groups(128), Kind.INVALID, "scheduler", "got 129 x 128");
		}

		@Test
		void pricesEveryChildsWork() {
			Schedule perGroup = Schedule.of(perGroupOf(Schedule.MAX_GROUPS, Map.of("type", "StepLR", "step_size", 2L)),
					groups(Schedule.MAX_GROUPS));
			Schedule shared = Schedule.of(Map.of("type", "StepLR", "step_size", 2L), groups(Schedule.MAX_GROUPS));
			// each child's step costs twice a schedule of one group's: 2 x (1 + 8)
			// groups'
			// work
			assertThat(perGroup.cost(0, 99))
				.isGreaterThanOrEqualTo(18L * Schedule.MAX_GROUPS * shared.cost(0, 99) / (Schedule.MAX_GROUPS + 8));
			assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> perGroup.startPreview(0, 5_000))
				.satisfies((ex) -> assertThat(ex.errors()).extracting(FieldError::field).containsExactly("steps"));
		}

	}

}
