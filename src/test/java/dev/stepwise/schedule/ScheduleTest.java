package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.stepwise.schedule.InvalidScheduleException.Kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * What the golden traces do not show by themselves: the newest PyTorch's semantics where
 * 1.13 differs, fractional epochs, and the engine's own contract (validation, state
 * documents, fast-forward).
 */
class ScheduleTest {

	private static final List<ParamGroup> ONE_GROUP = List.of(new ParamGroup(1.0, null));

	static List<Double> lrs(Schedule schedule, ScheduleState start, int steps) {
		List<Double> lrs = new ArrayList<>();
		ScheduleState state = start;
		lrs.add(state.lr(0));
		for (int i = 0; i < steps; i++) {
			state = schedule.step(state, null);
			lrs.add(state.lr(0));
		}
		return lrs;
	}

	static void assertLrs(List<Double> actual, double... expected) {
		assertThat(actual).hasSize(expected.length);
		for (int i = 0; i < expected.length; i++) {
			assertThat(actual.get(i)).as("lr at epoch %d", i).isCloseTo(expected[i], within(1e-12));
		}
	}

	@Nested
	class NewestPyTorch {

		@Test
		void multiplicativeLrRestartedBySequentialLrMultipliesByLambdaAtZero() {
			Schedule schedule = Schedule.of(Map.of("type", "SequentialLR", "milestones", List.of(2L), "schedulers",
					List.of(Map.of("type", "ConstantLR", "factor", 0.5, "total_iters", 2L),
							Map.of("type", "MultiplicativeLR", "lr_lambda", "0.5"))),
					ONE_GROUP);
			assertLrs(lrs(schedule, schedule.start(0), 4), 0.5, 0.5, 0.25, 0.125, 0.0625);
		}

		@Test
		void milestoneZeroGivesTheInitialStepToTheSecondChild() {
			// PyTorch 2.13: bisect_right([0], 0) = 1 takes the initial step; 1.13 gave
			// 0.1, 0.05, ... (the first child's factor, then the second child stepping)
			Schedule schedule = Schedule.of(Map.of("type", "SequentialLR", "milestones", List.of(0L), "schedulers",
					List.of(Map.of("type", "ConstantLR", "factor", 0.1, "total_iters", 100L),
							Map.of("type", "ExponentialLR", "gamma", 0.5))),
					ONE_GROUP);
			assertLrs(lrs(schedule, schedule.start(0), 3), 1.0, 0.5, 0.25, 0.125);
		}

		@Test
		void chainedSchedulerAsFirstChildOfSequentialLrIsRewoundRecursively() {
			Schedule schedule = Schedule
				.of(Map.of("type", "SequentialLR", "milestones", List.of(3L), "schedulers", List.of(
						Map.of("type", "ChainedScheduler", "schedulers",
								List.of(Map.of("type", "ConstantLR", "factor", 0.5, "total_iters", 2L),
										Map.of("type", "StepLR", "step_size", 1L, "gamma", 0.9))),
						Map.of("type", "ExponentialLR", "gamma", 0.5))), ONE_GROUP);
			assertLrs(lrs(schedule, schedule.start(0), 4), 0.5, 0.45, 0.81, 1.0, 0.5);
		}

		@Test
		void compositeAfterTheFirstChildOfSequentialLrIsRefused() {
			assertThatExceptionOfType(InvalidScheduleException.class)
				.isThrownBy(
						() -> Schedule.of(
								Map.of("type", "SequentialLR", "milestones", List.of(3L), "schedulers",
										List.of(Map.of("type", "ConstantLR"),
												Map.of("type", "ChainedScheduler", "schedulers",
														List.of(Map.of("type", "ExponentialLR", "gamma", 0.9))))),
								ONE_GROUP))
				.satisfies((ex) -> {
					assertThat(ex.kind()).isEqualTo(Kind.INVALID);
					assertThat(ex.errors().get(0).field()).isEqualTo("scheduler.schedulers[1]");
				});
		}

		@Test
		void linearLrRejectsAZeroStartFactor() {
			assertThatExceptionOfType(InvalidScheduleException.class)
				.isThrownBy(() -> Schedule.of(Map.of("type", "LinearLR", "start_factor", 0.0), ONE_GROUP))
				.satisfies((ex) -> assertThat(ex.errors().get(0).field()).isEqualTo("scheduler.start_factor"));
		}

		@Test
		void huggingFaceConstantKeepsTheLr() {
			Schedule schedule = Schedule.of(Map.of("type", "constant"), List.of(new ParamGroup(0.01, 0.9)));
			assertLrs(lrs(schedule, schedule.start(0), 3), 0.01, 0.01, 0.01, 0.01);
			assertThat(schedule.start(0).paramGroups().get(0).momentum()).isEqualTo(0.9);
		}

	}

	@Nested
	class FractionalEpochs {

		private Schedule warmRestarts(long t0, long tMult) {
			return Schedule.of(Map.of("type", "CosineAnnealingWarmRestarts", "T_0", t0, "T_mult", tMult), ONE_GROUP);
		}

		@Test
		void intraEpochAnnealingFollowsTheClosedForm() {
			Schedule schedule = warmRestarts(4, 1);
			ScheduleState state = schedule.start(0);
			double[][] expected = { { 0.5, 0.9619397662556434, 0 }, { 1.0, 0.8535533905932737, 1 },
					{ 1.5, 0.6913417161825449, 1 }, { 3.9, 0.001541333133436018, 3 }, { 4.0, 1.0, 4 },
					{ 9.0, 0.8535533905932737, 9 } };
			for (double[] row : expected) {
				state = schedule.stepTo(state, row[0], null);
				assertThat(state.lr(0)).as("lr at %s", row[0]).isCloseTo(row[1], within(1e-15));
				assertThat(state.lastEpoch()).isEqualTo((long) row[2]);
			}
		}

		@Test
		void growingCyclesFollowPythonsLogarithmArtefactsIncluded() {
			Schedule schedule = warmRestarts(10, 2);
			ScheduleState state = schedule.start(0);
			double[][] expected = { { 5, 0.5 }, { 10, 1.0 }, { 25, 0.14644660940672627 },
					{ 29.5, 0.001541333133436018 }, { 30, 1.0 }, { 70, 1.0 } };
			for (double[] row : expected) {
				state = schedule.stepTo(state, row[0], null);
				assertThat(state.lr(0)).as("lr at %s", row[0]).isCloseTo(row[1], within(1e-15));
			}
			Schedule artefact = warmRestarts(1, 10);
			ScheduleState at111 = artefact.stepTo(artefact.start(0), 111, null);
			assertThat(at111.lr(0)).isEqualTo(0.0);
			assertThat(artefact.stateDict(at111)).containsEntry("T_cur", 100.0).containsEntry("T_i", 100L);
			ScheduleState later = artefact.stepTo(at111, 111.5, null);
			assertThat(later.lr(0)).isCloseTo(0.9999993831498517, within(1e-15));
			assertThat(artefact.stateDict(later)).containsEntry("T_i", 1000L);
		}

		@Test
		void plainStepsContinueFromAnExplicitEpoch() {
			Schedule schedule = warmRestarts(10, 2);
			ScheduleState state = schedule.start(0);
			for (int i = 0; i < 20; i++) {
				state = schedule.step(state, null);
			}
			state = schedule.stepTo(state, 26, null);
			assertThat(state.lr(0)).isCloseTo(0.09549150281252633, within(1e-15));
			state = schedule.stepTo(state, 27, null);
			assertThat(state.lr(0)).isCloseTo(0.054496737905816106, within(1e-15));
			assertThat(state.lastEpoch()).isEqualTo(27);
		}

		@Test
		void wrapUsesModuloAsTheNewestPyTorchDoes() {
			Schedule schedule = warmRestarts(4, 2);
			Map<String, Object> document = new java.util.LinkedHashMap<>(schedule.stateDict(schedule.start(0)));
			document.put("T_cur", 9.0);
			ScheduleState stepped = schedule.step(schedule.fromStateDict(document), null);
			assertThat(schedule.stateDict(stepped)).containsEntry("T_cur", 2.0).containsEntry("T_i", 8L);
		}

		@Test
		void otherTypesRefuseFractionalEpochs() {
			Schedule schedule = Schedule.of(Map.of("type", "StepLR", "step_size", 2L), ONE_GROUP);
			assertThatExceptionOfType(StepException.class)
				.isThrownBy(() -> schedule.stepTo(schedule.start(0), 0.5, null))
				.satisfies(
						(ex) -> assertThat(ex.reason()).isEqualTo(StepException.Reason.FRACTIONAL_EPOCH_UNSUPPORTED));
			assertThat(schedule.stepTo(schedule.start(0), 1, null).lastEpoch()).isEqualTo(1);
			assertThat(schedule.acceptsFractionalEpochs()).isFalse();
		}

	}

	@Nested
	class StateDocuments {

		private final Schedule plateau = Schedule.of(Map.of("type", "ReduceLROnPlateau", "patience", 1L),
				List.of(new ParamGroup(0.1, 0.9), new ParamGroup(0.01, null)));

		@Test
		void usesPyTorchsKeyNamesAndNonFiniteDoubles() {
			Map<String, Object> document = this.plateau.stateDict(this.plateau.start(0));
			assertThat(document).containsEntry("type", "ReduceLROnPlateau")
				.containsEntry("last_epoch", 0L)
				.containsEntry("best", Double.POSITIVE_INFINITY)
				.containsEntry("num_bad_epochs", 0L)
				.containsEntry("cooldown_counter", 0L)
				.containsKeys("_last_lr", "param_groups", "patience", "factor", "min_lrs");
		}

		@Test
		void readsBackWhatItWroteWithNonFiniteNumbersAsStrings() {
			ScheduleState state = this.plateau.step(this.plateau.start(0), Double.NaN);
			Map<String, Object> document = new java.util.LinkedHashMap<>(this.plateau.stateDict(state));
			document.put("best", "Infinity");
			ScheduleState read = this.plateau.fromStateDict(document);
			assertThat(this.plateau.stateDict(read)).isEqualTo(this.plateau.stateDict(state));
			assertThat(read.paramGroups()).isEqualTo(state.paramGroups());
		}

		@Test
		void restoredCountersDriveTheNextReduction() {
			ScheduleState state = this.plateau.start(0);
			state = this.plateau.step(state, 1.0);
			state = this.plateau.step(state, 1.0);
			ScheduleState restored = this.plateau.fromStateDict(this.plateau.stateDict(state));
			ScheduleState reduced = this.plateau.step(restored, 1.0);
			assertThat(reduced.lr(0)).isCloseTo(0.01, within(1e-15));
			assertThat(reduced.paramGroups().get(1).momentum()).isNull();
		}

		@Test
		void refusesDocumentsOfAnotherShape() {
			Map<String, Object> document = new java.util.LinkedHashMap<>(this.plateau.stateDict(this.plateau.start(0)));
			document.put("type", "StepLR");
			assertThatExceptionOfType(InvalidStateException.class)
				.isThrownBy(() -> this.plateau.fromStateDict(document))
				.satisfies((ex) -> assertThat(ex.field()).isEqualTo("state.type"));
			document.remove("type");
			document.remove("num_bad_epochs");
			assertThatExceptionOfType(InvalidStateException.class)
				.isThrownBy(() -> this.plateau.fromStateDict(document))
				.satisfies((ex) -> assertThat(ex.field()).isEqualTo("state.num_bad_epochs"));
			document.put("num_bad_epochs", 0L);
			document.put("param_groups", List.of(Map.of("lr", 0.1)));
			assertThatExceptionOfType(InvalidStateException.class)
				.isThrownBy(() -> this.plateau.fromStateDict(document))
				.satisfies((ex) -> assertThat(ex.field()).isEqualTo("state.param_groups"));
		}

		@Test
		void compositesNestTheirChildrensStates() {
			Schedule schedule = Schedule.of(
					Map.of("type", "SequentialLR", "milestones", List.of(2L), "schedulers",
							List.of(Map.of("type", "LinearLR"),
									Map.of("type", "OneCycleLR", "max_lr", 0.5, "total_steps", 10L))),
					List.of(new ParamGroup(0.1, 0.9)));
			ScheduleState state = schedule.step(schedule.step(schedule.start(0), null), null);
			Map<String, Object> document = schedule.stateDict(state);
			assertThat(document).containsKeys("_schedulers", "_milestones", "last_epoch");
			assertThat((List<?>) document.get("_schedulers")).hasSize(2);
			ScheduleState read = schedule.fromStateDict(document);
			assertThat(schedule.step(read, null).paramGroups()).isEqualTo(schedule.step(state, null).paramGroups());
		}

	}

	@Nested
	class ExpressionCharacters {

		/** A 1,000-character expression: {@code 0.5} and spaces. */
		private static final String LONGEST = "0.5" + " ".repeat(997);

		private static List<ParamGroup> groups(int count) {
			return Collections.nCopies(count, new ParamGroup(0.1, null));
		}

		private static Map<String, Object> lambdas(String type, int count) {
			return Map.of("type", type, "lr_lambda", Collections.nCopies(count, LONGEST));
		}

		@Test
		void upToTheLimitInAll() {
			int most = Schedule.MAX_EXPRESSION_CHARACTERS / LONGEST.length();
			assertThat(Schedule.of(lambdas("LambdaLR", most), groups(most)).start(0).groups().lr()).contains(0.05);
			InvalidScheduleException refused = catchThrowableOfType(InvalidScheduleException.class,
					() -> Schedule.of(lambdas("LambdaLR", most + 1), groups(most + 1)));
			assertThat(refused.errors()).singleElement().satisfies((error) -> {
				assertThat(error.field()).isEqualTo("scheduler.lr_lambda");
				assertThat(error.message()).contains("262144 characters in all; these reach 263000");
			});
		}

		@Test
		void nestedSchedulersCountTogether() {
			Map<String, Object> chained = Map.of("type", "SequentialLR", "milestones", List.of(5L), "schedulers",
					List.of(lambdas("LambdaLR", 200), lambdas("MultiplicativeLR", 200)));
			InvalidScheduleException refused = catchThrowableOfType(InvalidScheduleException.class,
					() -> Schedule.of(chained, groups(200)));
			assertThat(refused.errors()).singleElement()
				.satisfies((error) -> assertThat(error.field()).isEqualTo("scheduler.schedulers[1].lr_lambda"));
			assertThat(Schedule.of(lambdas("MultiplicativeLR", 200), groups(200)).groups()).isEqualTo(200);
		}

	}

	@Nested
	class FiniteRegistration {

		private Schedule lambda(String expression) {
			return Schedule.of(Map.of("type", "LambdaLR", "lr_lambda", expression), ONE_GROUP);
		}

		@Test
		void aNonFiniteLrAtConstructionIsRefusedNamingTheExpression() {
			assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> lambda("1e308 * 10").start(0))
				.satisfies((ex) -> assertThat(ex.errors()).containsExactly(new FieldError("scheduler.lr_lambda",
						"gives param_groups[0].lr = Infinity at construction; a registered lr must be finite"
								+ " (PyTorch would take it)")));
			assertThatExceptionOfType(InvalidScheduleException.class)
				.isThrownBy(() -> lambda("0 * (1e308 * 10)").preview(0, 3, List.of()))
				.satisfies((ex) -> assertThat(ex.errors().get(0).field()).isEqualTo("scheduler.lr_lambda"));
			Schedule cyclic = Schedule.of(Map.of("type", "CyclicLR", "base_lr", 0.1, "max_lr", 1.0, "step_size_up", 2L,
					"scale_fn", "1e308 * 10", "cycle_momentum", false), ONE_GROUP);
			assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> cyclic.start(0))
				.satisfies((ex) -> assertThat(ex.errors().get(0).field()).isEqualTo("scheduler.scale_fn"));
		}

		@Test
		void aFastForwardToANonFiniteLrIsRefusedButALaterStepTakesIt() {
			Schedule schedule = lambda("1 if epoch < 2 else 1e308 * 10");
			assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> schedule.start(2))
				.satisfies((ex) -> assertThat(ex.errors()).containsExactly(new FieldError("last_epoch",
						"gives param_groups[0].lr = Infinity at epoch 2; a registered lr must be finite"
								+ " (PyTorch would take it)")));
			ScheduleState state = schedule.start(1);
			assertThat(schedule.step(state, null).lr(0)).as("as PyTorch computes it").isInfinite();
		}

	}

	@Nested
	class RestoredStates {

		private final Schedule stepLr = Schedule.of(Map.of("type", "StepLR", "step_size", 3L), ONE_GROUP);

		private Map<String, Object> document(Schedule schedule) {
			return new java.util.LinkedHashMap<>(schedule.stateDict(schedule.start(0)));
		}

		private InvalidStateException refused(Schedule schedule, Map<String, Object> document) {
			return catchThrowableOfType(InvalidStateException.class, () -> schedule.restore(document));
		}

		@Test
		void countersStayBelowTheLargestEpochSoNoStepOverflows() {
			Map<String, Object> document = document(this.stepLr);
			document.put("last_epoch", Long.MAX_VALUE);
			assertThat(refused(this.stepLr, document).errors()).containsExactly(new FieldError("state.last_epoch",
					"must be an integer from 0 to 9007199254740992, got 9223372036854775807"));
			document.put("last_epoch", Schedule.MAX_EPOCH);
			assertThat(this.stepLr.step(this.stepLr.restore(document), null).lastEpoch())
				.isEqualTo(Schedule.MAX_EPOCH + 1);
			document.put("_step_count", -4L);
			assertThat(refused(this.stepLr, document).field()).isEqualTo("state._step_count");
			assertThat(this.stepLr.fromStateDict(document).lastEpoch()).as("stored documents are read as they are")
				.isEqualTo(Schedule.MAX_EPOCH);
		}

		@Test
		void numbersMustBeFiniteAndLrNotNegative() {
			Map<String, Object> document = document(this.stepLr);
			document.put("base_lrs", List.of("NaN"));
			assertThat(refused(this.stepLr, document).field()).isEqualTo("state.base_lrs[0]");
			document = document(this.stepLr);
			document.put("param_groups", List.of(Map.of("lr", -0.1, "initial_lr", 1.0)));
			assertThat(refused(this.stepLr, document).errors())
				.containsExactly(new FieldError("state.param_groups[0].lr", "must be a finite number >= 0, got -0.1"));
			Schedule warmRestarts = Schedule.of(Map.of("type", "CosineAnnealingWarmRestarts", "T_0", 4L, "T_mult", 2L),
					ONE_GROUP);
			Map<String, Object> restarts = document(warmRestarts);
			restarts.put("T_cur", "NaN");
			assertThat(refused(warmRestarts, restarts).field()).isEqualTo("state.T_cur");
			restarts.put("T_cur", -1.0);
			assertThat(refused(warmRestarts, restarts).field()).isEqualTo("state.T_cur");
			Schedule plateau = Schedule.of(Map.of("type", "ReduceLROnPlateau"), ONE_GROUP);
			Map<String, Object> counters = document(plateau);
			counters.put("best", "NaN");
			assertThat(refused(plateau, counters).field()).isEqualTo("state.best");
			counters.put("best", "-Infinity");
			counters.put("num_bad_epochs", 1L << 62);
			assertThat(refused(plateau, counters).field()).isEqualTo("state.num_bad_epochs");
		}

		@Test
		void hyperparametersThatDifferFromTheSpecAreNamed() {
			Map<String, Object> document = document(this.stepLr);
			document.put("step_size", 5L);
			document.put("gamma", 0.5);
			assertThat(refused(this.stepLr, document).errors()).extracting(FieldError::field)
				.containsExactly("state.step_size", "state.gamma");
			document.put("step_size", 3.0);
			document.put("gamma", 0.1);
			assertThat(this.stepLr.restore(document).lastEpoch()).as("1 and 1.0 are the same value").isZero();
			document.remove("step_size");
			assertThat(this.stepLr.restore(document).lastEpoch()).as("an absent hyperparameter").isZero();
		}

		@Test
		void nestedHyperparametersAndDerivedOnesAreCompared() {
			Schedule schedule = Schedule.of(Map.of("type", "SequentialLR", "milestones", List.of(2L), "schedulers",
					List.of(Map.of("type", "LinearLR"), Map.of("type", "StepLR", "step_size", 4L))), ONE_GROUP);
			Map<String, Object> document = document(schedule);
			assertThat(schedule.restore(document).lastEpoch()).isZero();
			document.put("_milestones", List.of(2.0));
			assertThat(schedule.restore(document).lastEpoch()).isZero();
			document.put("_milestones", List.of(3L));
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> children = (List<Map<String, Object>>) document.get("_schedulers");
			Map<String, Object> child = new java.util.LinkedHashMap<>(children.get(1));
			child.put("step_size", 40L);
			document.put("_schedulers", List.of(children.get(0), child));
			assertThat(refused(schedule, document).errors()).extracting(FieldError::field)
				.containsExactly("state._milestones", "state._schedulers[1].step_size");
			Schedule plateau = Schedule.of(Map.of("type", "ReduceLROnPlateau", "mode", "max"), ONE_GROUP);
			Map<String, Object> counters = document(plateau);
			counters.put("mode_worse", "-Infinity");
			assertThat(plateau.restore(counters).lastEpoch()).isZero();
			counters.put("mode_worse", "Infinity");
			counters.put("mode", "min");
			assertThat(refused(plateau, counters).errors()).extracting(FieldError::field)
				.containsExactly("state.mode", "state.mode_worse");
		}

		@Test
		void aStoredStateWithAnInfiniteLrIsReadBack() {
			Schedule schedule = Schedule.of(Map.of("type", "LambdaLR", "lr_lambda", "1 if epoch == 0 else 1e308 * 10"),
					ONE_GROUP);
			ScheduleState state = schedule.step(schedule.start(0), null);
			assertThat(state.lr(0)).isInfinite();
			assertThat(schedule.stateDict(schedule.fromStateDict(schedule.stateDict(state))))
				.isEqualTo(schedule.stateDict(state));
			assertThat(
					catchThrowableOfType(InvalidStateException.class, () -> schedule.restore(schedule.stateDict(state)))
						.field())
				.isEqualTo("state.param_groups[0].lr");
		}

	}

	@Nested
	class Validation {

		@Test
		void aStateLargerThanTheLimitIsRefusedBeforeAnyOfItIsBuilt() {
			Map<String, Object> constant = Map.of("type", "ConstantLR");
			Map<String, Object> chained = Map.of("type", "ChainedScheduler", "schedulers",
					Collections.nCopies(63, constant));
			List<ParamGroup> groups = Collections.nCopies(257, new ParamGroup(0.1, null));
			assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> Schedule.of(chained, groups))
				.satisfies((ex) -> assertThat(ex.errors().get(0).message())
					.isEqualTo("schedulers x param groups must not exceed 16384, got 64 x 257"));
			assertThat(Schedule.of(chained, groups.subList(0, 256)).type()).isEqualTo("ChainedScheduler");
		}

		@Test
		void namesTheFieldOfANestedMisspeltArgument() {
			assertThatExceptionOfType(InvalidScheduleException.class)
				.isThrownBy(
						() -> Schedule
							.of(Map.of("type", "ChainedScheduler", "schedulers",
									List.of(Map.of("type", "StepLR", "step_size", 2L),
											Map.of("type", "ExponentialLR", "gama", 0.5))),
									ONE_GROUP))
				.satisfies((ex) -> {
					assertThat(ex.kind()).isEqualTo(Kind.MALFORMED);
					assertThat(ex.errors()).extracting(FieldError::field)
						.containsExactly("scheduler.schedulers[1].gama");
					assertThat(ex.errors().get(0).message()).contains("unexpected keyword argument 'gama'")
						.contains("did you mean 'gamma'");
				});
		}

		@Test
		void suggestsTheArgumentAnUnknownOneResembles() {
			assertThatExceptionOfType(InvalidScheduleException.class)
				.isThrownBy(() -> Schedule.of(Map.of("type", "StepLR", "step_size", 2L, "gamme", 0.5), ONE_GROUP))
				.satisfies((ex) -> assertThat(ex.errors().get(0).message()).endsWith("did you mean 'gamma'?"));
			assertThatExceptionOfType(InvalidScheduleException.class)
				.isThrownBy(() -> Schedule.of(Map.of("type", "StepLR", "step_size", 2L, "warmup", 5L), ONE_GROUP))
				.satisfies((ex) -> assertThat(ex.errors().get(0).message()).endsWith("it takes gamma, step_size"));
		}

		@Test
		void distinguishesWrongTypesFromBadValues() {
			assertThatExceptionOfType(InvalidScheduleException.class)
				.isThrownBy(() -> Schedule.of(Map.of("type", "StepLR", "step_size", "3"), ONE_GROUP))
				.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(Kind.MALFORMED));
			assertThatExceptionOfType(InvalidScheduleException.class)
				.isThrownBy(() -> Schedule.of(Map.of("type", "StepLR", "step_size", 2.5), ONE_GROUP))
				.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(Kind.INVALID));
			assertThatExceptionOfType(InvalidScheduleException.class)
				.isThrownBy(() -> Schedule.of(Map.of("type", "ExponentialLR", "gamma", Double.NaN), ONE_GROUP))
				.satisfies((ex) -> assertThat(ex.errors().get(0).message()).contains("finite"));
			assertThatExceptionOfType(InvalidScheduleException.class)
				.isThrownBy(() -> Schedule.of(Map.of("type", "StepLRR"), ONE_GROUP))
				.satisfies((ex) -> assertThat(ex.errors().get(0).field()).isEqualTo("scheduler.type"));
		}

		@Test
		void rejectsArgumentsWhoseProductOverflows() {
			assertThatExceptionOfType(InvalidScheduleException.class)
				.isThrownBy(() -> Schedule.of(Map.of("type", "OneCycleLR", "max_lr", 0.1, "epochs", 10_000_000_000L,
						"steps_per_epoch", 10_000_000_000L), ONE_GROUP))
				.satisfies((ex) -> assertThat(ex.errors().get(0).field()).isEqualTo("scheduler.epochs"));
		}

		@Test
		void rejectsBadParamGroups() {
			assertThatExceptionOfType(InvalidScheduleException.class)
				.isThrownBy(
						() -> Schedule.of(Map.of("type", "StepLR", "step_size", 2L), List.of(new ParamGroup(-1, null))))
				.satisfies((ex) -> assertThat(ex.errors().get(0).field()).isEqualTo("param_groups[0].lr"));
			assertThatExceptionOfType(InvalidScheduleException.class)
				.isThrownBy(() -> Schedule.of(Map.of("type", "StepLR", "step_size", 2L), List.of()));
		}

		@Test
		void reportsExpressionSyntaxErrorsWithTheirPosition() {
			assertThatExceptionOfType(InvalidScheduleException.class)
				.isThrownBy(
						() -> Schedule.of(Map.of("type", "LambdaLR", "lr_lambda", "0.95 ** epoch + foo"), ONE_GROUP))
				.satisfies((ex) -> {
					assertThat(ex.kind()).isEqualTo(Kind.INVALID);
					assertThat(ex.errors().get(0).field()).isEqualTo("scheduler.lr_lambda");
					assertThat(ex.errors().get(0).message()).contains("foo").contains("16");
				});
		}

		@Test
		void fillsEveryDefaultIntoTheNormalisedSpec() {
			Schedule schedule = Schedule.of(Map.of("type", "OneCycleLR", "max_lr", 0.1, "total_steps", 100L),
					ONE_GROUP);
			assertThat(schedule.normalizedSpec()).containsEntry("type", "OneCycleLR")
				.containsEntry("pct_start", 0.3)
				.containsEntry("anneal_strategy", "cos")
				.containsEntry("div_factor", 25.0)
				.containsEntry("final_div_factor", 1e4)
				.containsEntry("three_phase", false)
				.containsEntry("cycle_momentum", true);
			Schedule again = Schedule.of(schedule.normalizedSpec(), ONE_GROUP);
			assertThat(again.normalizedSpec()).isEqualTo(schedule.normalizedSpec());
		}

	}

	@Nested
	class Stepping {

		@Test
		void fastForwardIsTheSameAsStepping() {
			Schedule schedule = Schedule.of(Map.of("type", "OneCycleLR", "max_lr", 0.1, "total_steps", 50L),
					List.of(new ParamGroup(0.1, 0.9)));
			ScheduleState stepped = schedule.start(0);
			for (int i = 0; i < 17; i++) {
				stepped = schedule.step(stepped, null);
			}
			assertThat(schedule.stateDict(schedule.start(17))).isEqualTo(schedule.stateDict(stepped));
			assertThat(schedule.start(-1).lastEpoch()).isZero();
		}

		@Test
		void previewIsTheSameAsStepping() {
			Schedule schedule = Schedule.of(Map.of("type", "ReduceLROnPlateau", "patience", 0L), ONE_GROUP);
			List<ScheduleState> states = schedule.preview(0, 3, List.of(1.0, 1.0, 1.0));
			assertThat(states).extracting(ScheduleState::lastEpoch).containsExactly(0L, 1L, 2L, 3L);
			assertThat(states).extracting((state) -> state.lr(0)).containsExactly(1.0, 1.0, 0.1, 0.1 * 0.1);
		}

		@Test
		void plateauNeedsAMetricAndCannotBeFastForwarded() {
			Schedule schedule = Schedule.of(Map.of("type", "ReduceLROnPlateau"), ONE_GROUP);
			assertThat(schedule.requiresMetric()).isTrue();
			assertThatExceptionOfType(StepException.class).isThrownBy(() -> schedule.step(schedule.start(0), null))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(StepException.Reason.METRIC_REQUIRED));
			assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> schedule.start(3))
				.satisfies((ex) -> assertThat(ex.errors().get(0).field()).isEqualTo("last_epoch"));
			assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> schedule.start(-2));
		}

		@Test
		void statesAreImmutable() {
			Schedule schedule = Schedule.of(Map.of("type", "ExponentialLR", "gamma", 0.5), ONE_GROUP);
			ScheduleState start = schedule.start(0);
			schedule.step(start, null);
			schedule.step(start, null);
			assertThat(start.lr(0)).isEqualTo(1.0);
			assertThat(schedule.step(start, null).lr(0)).isEqualTo(0.5);
		}

		@Test
		void momentumIsReportedOnlyWhenRegisteredOrCycled() {
			List<ParamGroup> groups = List.of(new ParamGroup(0.1, 0.9), new ParamGroup(0.1, null));
			Schedule step = Schedule.of(Map.of("type", "StepLR", "step_size", 2L), groups);
			assertThat(step.start(0).paramGroups()).extracting(ParamGroup::momentum).containsExactly(0.9, null);
			Schedule cyclic = Schedule.of(Map.of("type", "CyclicLR", "base_lr", 0.01, "max_lr", 0.1), groups);
			assertThat(cyclic.start(0).paramGroups()).extracting(ParamGroup::momentum).containsExactly(0.9, 0.9);
		}

	}

}
