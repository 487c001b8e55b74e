package dev.stepwise.schedule;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.stepwise.schedule.InvalidScheduleException.Kind;

import static dev.stepwise.schedule.ScheduleTest.assertLrs;
import static dev.stepwise.schedule.ScheduleTest.lrs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Regression tests of divergences from PyTorch 2.13 and Hugging Face: SequentialLR with
 * milestones of 0, errors raised while building a scheduler, the order of unknown and
 * missing arguments, and arguments with which no step could be taken.
 */
class FidelityTest {

	private static final List<ParamGroup> ONE_GROUP = List.of(new ParamGroup(1.0, null));

	private static Map<String, Object> spec(Object... keysAndValues) {
		Map<String, Object> spec = new java.util.LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			spec.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return spec;
	}

	private static InvalidScheduleException refused(Map<String, Object> spec, List<ParamGroup> groups) {
		try {
			Schedule.of(spec, groups).start(0);
		}
		catch (InvalidScheduleException ex) {
			return ex;
		}
		throw new AssertionError("registered: " + spec);
	}

	@Nested
	class SequentialMilestoneZero {

		@Test
		void milestoneZeroStartsTheChildBisectRightPicks() {
			Schedule schedule = Schedule.of(
					spec("type", "SequentialLR", "milestones", List.of(0L), "schedulers", List
						.of(spec("type", "ConstantLR", "factor", 0.5), spec("type", "ExponentialLR", "gamma", 0.9))),
					ONE_GROUP);
			assertLrs(lrs(schedule, schedule.start(0), 3), 1.0, 0.9, 0.81, 0.729);
		}

		@Test
		void twoMilestonesOfZeroStartTheThirdChild() {
			Schedule schedule = Schedule
				.of(spec("type", "SequentialLR", "milestones", List.of(0L, 0L, 3L), "schedulers",
						List.of(spec("type", "ConstantLR", "factor", 0.5), spec("type", "ConstantLR", "factor", 0.25),
								spec("type", "ExponentialLR", "gamma", 0.5),
								spec("type", "ConstantLR", "factor", 0.1, "total_iters", 2L))),
						ONE_GROUP);
			assertLrs(lrs(schedule, schedule.start(0), 5), 1.0, 0.5, 0.25, 0.1, 0.1, 1.0);
		}

		@Test
		void nestedFirstChildWithMilestoneZero() {
			// the inner SequentialLR starts its ExponentialLR; the outer one's initial
			// step
			// is the inner one's step(), which steps it out of initial mode
			Schedule schedule = Schedule
				.of(spec("type", "SequentialLR", "milestones", List.of(3L), "schedulers", List.of(
						spec("type", "SequentialLR", "milestones", List.of(0L), "schedulers",
								List.of(spec("type", "LinearLR", "start_factor", 0.1, "total_iters", 4L),
										spec("type", "ExponentialLR", "gamma", 0.5))),
						spec("type", "ConstantLR", "factor", 0.5, "total_iters", 2L))), ONE_GROUP);
			assertLrs(lrs(schedule, schedule.start(0), 5), 0.5, 0.25, 0.125, 0.5, 0.5, 1.0);
		}

		@Test
		void compositeThatNoMilestoneRestartsIsTaken() {
			Schedule schedule = Schedule.of(
					spec("type", "SequentialLR", "milestones", List.of(0L), "schedulers",
							List.of(spec("type", "ConstantLR", "factor", 0.1),
									spec("type", "ChainedScheduler", "schedulers",
											List.of(spec("type", "ExponentialLR", "gamma", 0.9),
													spec("type", "StepLR", "step_size", 2L, "gamma", 0.5))))),
					List.of(new ParamGroup(0.5, null)));
			assertLrs(lrs(schedule, schedule.start(0), 3), 0.45, 0.405, 0.18225, 0.164025);
		}

		@Test
		void compositeThatAMilestoneWouldRestartIsRefused() {
			InvalidScheduleException ex = refused(spec("type", "SequentialLR", "milestones", List.of(0L, 4L),
					"schedulers",
					List.of(spec("type", "ConstantLR"), spec("type", "ExponentialLR", "gamma", 0.9), spec("type",
							"ChainedScheduler", "schedulers", List.of(spec("type", "ExponentialLR", "gamma", 0.9))))),
					ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.INVALID);
			assertThat(ex.errors().get(0).field()).isEqualTo("scheduler.schedulers[2]");
			assertThat(ex.errors().get(0).message()).contains("restarted at milestone 4");
		}

	}

	@Nested
	class ConstructionErrors {

		@Test
		void minLrOverAZeroFirstLrIsInvalid() {
			for (String type : List.of("cosine_with_min_lr", "cosine_warmup_with_min_lr")) {
				InvalidScheduleException ex = refused(
						spec("type", type, "num_warmup_steps", 2L, "num_training_steps", 10L, "min_lr", 0.001),
						List.of(new ParamGroup(0.0, null), new ParamGroup(0.1, null)));
				assertThat(ex.kind()).isEqualTo(Kind.INVALID);
				assertThat(ex.errors().get(0).field()).isEqualTo("scheduler.min_lr");
				assertThat(ex.errors().get(0).message()).contains("ZeroDivisionError");
			}
		}

		@Test
		void minLrOverAZeroFirstLrIsInvalidInsideComposites() {
			Map<String, Object> child = spec("type", "cosine_with_min_lr", "num_warmup_steps", 2L, "num_training_steps",
					10L, "min_lr", 0.001);
			List<ParamGroup> zero = List.of(new ParamGroup(0.0, null));
			assertThat(refused(spec("type", "ChainedScheduler", "schedulers", List.of(child)), zero).errors())
				.extracting(FieldError::field)
				.containsExactly("scheduler.schedulers[0].min_lr");
			assertThat(refused(spec("type", "SequentialLR", "milestones", List.of(2L), "schedulers",
					List.of(spec("type", "LinearLR"), child)), zero)
				.kind()).isEqualTo(Kind.INVALID);
		}

		@Test
		void whatTheInitialStepRaisesIsInvalid() {
			// timescale 0 with no warmup: lr_lambda(0) divides by 0 in LambdaLR's initial
			// step
			InvalidScheduleException ex = refused(spec("type", "inverse_sqrt", "num_warmup_steps", 0L, "timescale", 0L),
					ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.INVALID);
			assertThat(ex.errors().get(0).message()).startsWith("PyTorch's constructor raises");
		}

	}

	@Nested
	class UnknownBeforeMissing {

		@Test
		void misspeltRequiredHuggingFaceArgumentIsMalformed() {
			InvalidScheduleException ex = refused(
					spec("type", "linear", "num_warmup_step", 3L, "num_training_steps", 9L), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.MALFORMED);
			assertThat(ex.errors()).extracting(FieldError::field).containsExactly("scheduler.num_warmup_step");
			assertThat(ex.errors().get(0).message()).isEqualTo(
					"linear got an unexpected keyword argument 'num_warmup_step'; did you mean 'num_warmup_steps'?");
		}

		@Test
		void unknownArgumentComesBeforeAnyValueCheck() {
			InvalidScheduleException ex = refused(
					spec("type", "warmup_stable_decay", "num_warmup_steps", 1L, "num_decay_step", 10L), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.MALFORMED);
			ex = refused(spec("type", "CosineAnnealingLR", "T_maxx", 5L), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.MALFORMED);
			assertThat(ex.errors().get(0).message()).endsWith("did you mean 'T_max'?");
			ex = refused(spec("type", "SequentialLR", "milestone", List.of(2L), "schedulers",
					List.of(spec("type", "LinearLR"), spec("type", "ExponentialLR", "gamma", 0.9))), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.MALFORMED);
			assertThat(ex.errors()).extracting(FieldError::field).containsExactly("scheduler.milestone");
		}

		@Test
		void childrenAreBuiltBeforeTheCompositeChecksItsKeywords() {
			// Python evaluates the children before it calls SequentialLR(...)
			InvalidScheduleException ex = refused(spec("type", "SequentialLR", "milestonez", List.of(2L), "schedulers",
					List.of(spec("type", "ConstantLR", "factor", 2.0))), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.INVALID);
			assertThat(ex.errors()).extracting(FieldError::field).containsExactly("scheduler.schedulers[0].factor");
		}

		@Test
		void lastEpochIsNoSchedulerArgument() {
			InvalidScheduleException ex = refused(spec("type", "StepLR", "step_size", 3L, "last_epoch", 5L), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.MALFORMED);
			assertThat(ex.errors().get(0).message())
				.isEqualTo("StepLR got an unexpected keyword argument 'last_epoch'; it takes gamma, step_size");
		}

	}

	@Nested
	class NoStepPossible {

		@Test
		void stepSizeZeroIsRefusedNamingTheArgument() {
			InvalidScheduleException ex = refused(spec("type", "StepLR", "step_size", 0L), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.INVALID);
			assertThat(ex.errors().get(0).field()).isEqualTo("scheduler.step_size");
			assertThat(refused(spec("type", "ChainedScheduler", "schedulers",
					List.of(spec("type", "ExponentialLR", "gamma", 0.5), spec("type", "StepLR", "step_size", 0L))),
					ONE_GROUP)
				.errors()).extracting(FieldError::field).containsExactly("scheduler.schedulers[1].step_size");
		}

		@Test
		void negativeStepSizeStepsAsInPython() {
			// last_epoch % -2 == 0 at every even epoch
			Schedule schedule = Schedule.of(spec("type", "StepLR", "step_size", -2L, "gamma", 0.5), ONE_GROUP);
			assertLrs(lrs(schedule, schedule.start(0), 4), 1.0, 1.0, 0.5, 0.5, 0.25);
		}

		@Test
		void cosineTMaxZeroIsRefusedNamingTheArgument() {
			InvalidScheduleException ex = refused(spec("type", "CosineAnnealingLR", "T_max", 0L), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.INVALID);
			assertThat(ex.errors().get(0).field()).isEqualTo("scheduler.T_max");
		}

		@Test
		void multiplicativeLambdaThatRaisesWhateverTheEpochIsRefused() {
			InvalidScheduleException ex = refused(spec("type", "MultiplicativeLR", "lr_lambda", "1 / 0"), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.INVALID);
			assertThat(ex.errors().get(0).field()).isEqualTo("scheduler.lr_lambda");
			ex = refused(spec("type", "MultiplicativeLR", "lr_lambda", List.of("0.9", "log(0)")),
					List.of(new ParamGroup(1.0, null), new ParamGroup(1.0, null)));
			assertThat(ex.errors().get(0).field()).isEqualTo("scheduler.lr_lambda[1]");
			// one that raises only at some epochs registers, and is refused at that step
			Schedule schedule = Schedule
				.of(spec("type", "MultiplicativeLR", "lr_lambda", "0.5 if epoch < 2 else 1 / 0"), ONE_GROUP);
			assertLrs(lrs(schedule, schedule.start(0), 1), 1.0, 0.5);
		}

	}

	/**
	 * Python's {@code float ** n} raises {@code OverflowError} where Java's Math.pow
	 * gives an infinity, while a product that overflows is an infinity in both (values
	 * from torch 2.13).
	 */
	@Nested
	class PowerOverflow {

		private static StepException refusedStep(Schedule schedule, ScheduleState state) {
			try {
				schedule.step(state, null);
			}
			catch (StepException ex) {
				assertThat(ex.reason()).isEqualTo(StepException.Reason.REFUSED);
				return ex;
			}
			throw new AssertionError("stepped from epoch " + state.lastEpoch());
		}

		private static ScheduleState stepped(Schedule schedule, int steps) {
			ScheduleState state = schedule.start(0);
			for (int i = 0; i < steps; i++) {
				state = schedule.step(state, null);
			}
			return state;
		}

		@Test
		void multiStepLrPowerThatOverflowsIsRefusedAtThatStep() {
			// get_lr: group["lr"] * gamma ** 2 at the repeated milestone 8
			Schedule schedule = Schedule.of(spec("type", "MultiStepLR", "milestones", List.of(8L, 8L), "gamma", 1e300),
					List.of(new ParamGroup(0.1, null)));
			assertLrs(lrs(schedule, schedule.start(0), 7), 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1);
			assertThat(refusedStep(schedule, stepped(schedule, 7)).getMessage())
				.contains("OverflowError: (34, 'Numerical result out of range')");
		}

		@Test
		void multiStepLrProductThatOverflowsIsInfinity() {
			Schedule schedule = Schedule.of(spec("type", "MultiStepLR", "milestones", List.of(1L, 2L), "gamma", 1e200),
					List.of(new ParamGroup(0.1, null)));
			assertThat(lrs(schedule, schedule.start(0), 3)).containsExactly(0.1, 0.1 * 1e200, Double.POSITIVE_INFINITY,
					Double.POSITIVE_INFINITY);
		}

		@Test
		void multiStepLrPowerThatOverflowsInTheInitialStepIsInvalid() {
			InvalidScheduleException ex = refused(
					spec("type", "MultiStepLR", "milestones", List.of(0L, 0L), "gamma", 1e300), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.INVALID);
			assertThat(ex.errors().get(0).message()).startsWith("PyTorch's constructor raises")
				.contains("OverflowError");
		}

		@Test
		void multiStepLrClosedFormPowerThatOverflowsIsRefusedAtTheRestart() {
			// SequentialLR restarts the child with _update_lr(0): base_lr * gamma **
			// bisect_right(milestones, 0), here gamma ** 2
			Schedule schedule = Schedule.of(
					spec("type", "SequentialLR", "milestones", List.of(2L), "schedulers",
							List.of(spec("type", "ConstantLR", "factor", 0.5),
									spec("type", "MultiStepLR", "milestones", List.of(-1L, -1L), "gamma", 1e300))),
					ONE_GROUP);
			assertLrs(lrs(schedule, schedule.start(0), 1), 0.5, 0.5);
			assertThat(refusedStep(schedule, stepped(schedule, 1)).getMessage()).contains("OverflowError");
		}

		@Test
		void exponentialAndStepLrClosedFormsAtARestartAreTheBaseLrThenProductsOverflow() {
			for (Map<String, Object> child : List.of(spec("type", "ExponentialLR", "gamma", 1e300),
					spec("type", "StepLR", "step_size", 1L, "gamma", 1e300))) {
				Schedule schedule = Schedule.of(spec("type", "SequentialLR", "milestones", List.of(2L), "schedulers",
						List.of(spec("type", "ConstantLR", "factor", 0.5), child)), ONE_GROUP);
				assertThat(lrs(schedule, schedule.start(0), 5)).as("%s", child)
					.containsExactly(0.5, 0.5, 1.0, 1e300, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
			}
		}

		@Test
		void polynomialLrPowerThatOverflowsIsRefusedAtThatStep() {
			// (0.9 / 1.0) ** -10000
			Schedule schedule = Schedule.of(spec("type", "PolynomialLR", "total_iters", 10L, "power", -10000.0),
					List.of(new ParamGroup(0.1, null)));
			assertThat(refusedStep(schedule, schedule.start(0)).getMessage()).contains("OverflowError");
		}

		@Test
		void polynomialLrClosedFormOfZeroToANegativePowerIsRefusedAtTheRestart() {
			// (1.0 - min(-1, 0) / -1) ** -1.0 = 0.0 ** -1.0
			Schedule schedule = Schedule.of(spec("type", "SequentialLR", "milestones", List.of(1L), "schedulers",
					List.of(spec("type", "ConstantLR", "factor", 0.5),
							spec("type", "PolynomialLR", "total_iters", -1L, "power", -1.0))),
					ONE_GROUP);
			assertThat(refusedStep(schedule, schedule.start(0)).getMessage())
				.contains("ZeroDivisionError: 0.0 cannot be raised to a negative power");
		}

	}

}
