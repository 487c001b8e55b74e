package dev.stepwise.schedule;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.stepwise.schedule.InvalidScheduleException.Kind;

import static dev.stepwise.schedule.ScheduleTest.assertLrs;
import static dev.stepwise.schedule.ScheduleTest.lrs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
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
	class ChildrenBuiltFirst {

		/** LambdaLR whose initial step, lr_lambda(0), divides by zero. */
		private final Map<String, Object> raisingChild = spec("type", "LambdaLR", "lr_lambda", "1 // epoch");

		@Test
		void aChildsConstructionErrorComesBeforeTheParentsUnknownArgument() {
			for (String type : List.of("SequentialLR", "ChainedScheduler")) {
				InvalidScheduleException ex = refused(
						spec("type", type, "schedulers", List.of(this.raisingChild), "imlestones", List.of(3L)),
						ONE_GROUP);
				assertThat(ex.kind()).as(type).isEqualTo(Kind.INVALID);
				assertThat(ex.errors().get(0).message()).contains("integer division or modulo by zero");
			}
		}

		@Test
		void aChildsConstructionErrorComesBeforeALaterChildsMalformedArgument() {
			InvalidScheduleException ex = refused(spec("type", "ChainedScheduler", "schedulers",
					List.of(this.raisingChild, spec("type", "StepLR", "step_size", "three"))), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.INVALID);
		}

		@Test
		void aPlateauChildIsRefusedOnlyOnceEveryChildIsBuilt() {
			Map<String, Object> plateau = spec("type", "ReduceLROnPlateau");
			InvalidScheduleException ex = refused(spec("type", "SequentialLR", "milestones", List.of(2L), "schedulers",
					List.of(plateau, spec("type", "StepLR", "step_size", "three"))), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.MALFORMED);
			assertThat(ex.errors()).extracting(FieldError::field).containsExactly("scheduler.schedulers[1].step_size");
			ex = refused(spec("type", "SequentialLR", "milestones", List.of(2L), "schedulers",
					List.of(plateau, spec("type", "StepLR", "step_size", 3L))), ONE_GROUP);
			assertThat(ex.errors()).extracting(FieldError::field).containsExactly("scheduler.schedulers[0]");
		}

		@Test
		void buildingAsReadEqualsConstructingTheTreeAfterwards() {
			Map<String, Object> spec = spec("type", "SequentialLR", "milestones", List.of(2L), "schedulers",
					List.of(spec("type", "ChainedScheduler", "schedulers",
							List.of(spec("type", "LinearLR"), spec("type", "ExponentialLR", "gamma", 0.5))),
							spec("type", "CyclicLR", "base_lr", 0.01, "max_lr", 0.1)));
			GroupArrays groups = GroupArrays.registered(new double[] { 0.1, 0.2 }, new double[] { 0.9, 0.8 });
			Optimizer asRead = new Optimizer(groups);
			SchedulerFactory.Built built = SchedulerFactory.build(new ArgumentReader(spec, "scheduler", 2, 0.1),
					asRead);
			Optimizer afterwards = new Optimizer(groups);
			NodeState constructed = built.scheduler().construct(afterwards);
			assertThat(built.scheduler().stateDict(built.state())).isEqualTo(built.scheduler().stateDict(constructed));
			assertThat(asRead.lr).containsExactly(afterwards.lr);
			assertThat(asRead.momentum).containsExactly(afterwards.momentum);
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
		void aMissingArgumentOfACompositeComesBeforeItsFirstValueCheck() {
			// torch 2.13: SequentialLR(optimizer, schedulers=[]) raises TypeError for the
			// missing
			// milestones before its body refuses an empty list (ValueError)
			InvalidScheduleException ex = refused(spec("type", "SequentialLR", "schedulers", List.of()), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.MALFORMED);
			assertThat(ex.errors()).extracting(FieldError::field).containsExactly("scheduler.milestones");
			ex = refused(spec("type", "ChainedScheduler", "schedulers", List.of(), "gama", 0.5), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.MALFORMED);
			ex = refused(spec("type", "ChainedScheduler", "schedulers", List.of()), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.INVALID);
			assertThat(ex.errors().get(0).message())
				.isEqualTo("ChainedScheduler expects at least one scheduler, but got no scheduler.");
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

		@Test
		void cyclicLrExpRangeRaisesWhenGammaToTheStepOverflows() {
			// torch 2.13: 0.01, then 4.5e198, then OverflowError in gamma ** 2
			Schedule schedule = Schedule.of(spec("type", "CyclicLR", "base_lr", 0.01, "max_lr", 0.1, "step_size_up", 2L,
					"mode", "exp_range", "gamma", 1e200, "cycle_momentum", false), ONE_GROUP);
			ScheduleState first = schedule.step(schedule.start(0), null);
			assertThat(first.paramGroups().get(0).lr()).isCloseTo(4.5000000000000005e+198, within(1e186));
			assertThat(refusedStep(schedule, first).getMessage()).contains("OverflowError");
		}

		@Test
		void cyclicLrTriangular2DividesByZeroOnceTheScaleUnderflows() {
			// torch 2.13 with a negative total size: 1 / (2.0 ** (x - 1)) raises at step
			// 1075
			Schedule schedule = Schedule.of(spec("type", "CyclicLR", "base_lr", 0.01, "max_lr", 0.1, "step_size_up",
					-2L, "step_size_down", 1L, "mode", "triangular2", "cycle_momentum", false), ONE_GROUP);
			ScheduleState state = schedule.start(0);
			for (int i = 1; i < 1075; i++) {
				state = schedule.step(state, null);
			}
			assertThat(refusedStep(schedule, state).getMessage()).contains("float division by zero");
		}

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

	@Nested
	class ExplicitNull {

		private static Map<String, Object> withNull(Map<String, Object> spec, String name) {
			spec.put(name, null);
			return spec;
		}

		@Test
		void nullForAnArgumentWhosePythonDefaultIsNotNoneIsMalformed() {
			// PyTorch binds None, not the default: LinearLR raises TypeError at
			// construction, ReduceLROnPlateau(threshold=None) at its first step
			InvalidScheduleException ex = refused(withNull(spec("type", "LinearLR"), "end_factor"), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.MALFORMED);
			assertThat(ex.errors()).extracting(FieldError::field, FieldError::message)
				.containsExactly(
						org.assertj.core.groups.Tuple.tuple("scheduler.end_factor", "must be a number, not null"));
			assertThat(refused(withNull(spec("type", "ReduceLROnPlateau"), "threshold"), ONE_GROUP).errors())
				.extracting(FieldError::message)
				.containsExactly("must be a number, not null");
			assertThat(refused(withNull(spec("type", "reduce_lr_on_plateau"), "factor"), ONE_GROUP).errors())
				.extracting(FieldError::field)
				.containsExactly("scheduler.factor");
			assertThat(refused(withNull(spec("type", "CyclicLR", "base_lr", 0.1, "max_lr", 1.0), "step_size_up"),
					ONE_GROUP)
				.errors()).extracting(FieldError::message).containsExactly("must be an integer, not null");
			assertThat(refused(withNull(spec("type", "OneCycleLR", "max_lr", 0.1, "total_steps", 10L), "three_phase"),
					ONE_GROUP)
				.errors()).extracting(FieldError::message).containsExactly("must be true or false, not null");
			assertThat(refused(withNull(spec("type", "ReduceLROnPlateau"), "mode"), ONE_GROUP).errors())
				.extracting(FieldError::message)
				.containsExactly("must be a string, not null");
			assertThat(refused(withNull(spec("type", "ReduceLROnPlateau"), "min_lr"), ONE_GROUP).errors())
				.extracting(FieldError::message)
				.containsExactly("must be a number or a list of numbers, not null");
			assertThat(refused(
					withNull(spec("type", "cosine", "num_warmup_steps", 1L, "num_training_steps", 5L), "num_cycles"),
					ONE_GROUP)
				.errors()).extracting(FieldError::field).containsExactly("scheduler.num_cycles");
			assertThat(refused(
					spec("type", "ChainedScheduler", "schedulers",
							List.of(withNull(spec("type", "CosineAnnealingWarmRestarts", "T_0", 2L), "T_mult"))),
					ONE_GROUP)
				.errors()).extracting(FieldError::field).containsExactly("scheduler.schedulers[0].T_mult");
		}

		@Test
		void nullStaysNoneWherePythonsDefaultIsNone() {
			Schedule cyclic = Schedule
				.of(withNull(withNull(spec("type", "CyclicLR", "base_lr", 0.01, "max_lr", 0.1, "step_size_up", 2L),
						"step_size_down"), "scale_fn"), ONE_GROUP);
			assertLrs(lrs(cyclic, cyclic.start(0), 4), 0.01, 0.055, 0.1, 0.055, 0.01);
			Schedule oneCycle = Schedule
				.of(withNull(withNull(spec("type", "OneCycleLR", "max_lr", 0.1, "total_steps", 10L), "epochs"),
						"steps_per_epoch"), ONE_GROUP);
			assertThat(oneCycle.normalizedSpec()).containsEntry("epochs", null).containsEntry("total_steps", 10L);
			Schedule inverseSqrt = Schedule
				.of(withNull(spec("type", "inverse_sqrt", "num_warmup_steps", 2L), "timescale"), ONE_GROUP);
			assertThat(inverseSqrt.normalizedSpec()).containsEntry("timescale", 2L);
			Schedule minLr = Schedule.of(withNull(withNull(spec("type", "cosine_warmup_with_min_lr", "num_warmup_steps",
					2L, "num_training_steps", 10L, "min_lr_rate", 0.1), "min_lr"), "warmup_lr_rate"), ONE_GROUP);
			assertThat(minLr.normalizedSpec()).containsEntry("min_lr", null);
			Schedule wsd = Schedule.of(withNull(spec("type", "warmup_stable_decay", "num_warmup_steps", 1L,
					"num_decay_steps", 2L, "num_stable_steps", 2L), "num_training_steps"), ONE_GROUP);
			assertThat(wsd.normalizedSpec()).containsEntry("num_training_steps", null);
		}

		@Test
		void nullForARequiredArgumentIsStillMissing() {
			// StepLR(step_size=None) raises TypeError at its first step: a 400, as
			// missing
			InvalidScheduleException ex = refused(withNull(spec("type", "StepLR"), "step_size"), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.MALFORMED);
			assertThat(ex.errors()).extracting(FieldError::message).containsExactly("is required");
			// get_scheduler raises ValueError on num_warmup_steps=None
			ex = refused(withNull(spec("type", "linear", "num_training_steps", 5L), "num_warmup_steps"), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.INVALID);
			assertThat(ex.errors()).extracting(FieldError::field).containsExactly("scheduler.num_warmup_steps");
		}

	}

	@Nested
	class NegativeStepCounts {

		// lrs (and momentums) of torch 2.13 and transformers' formulas, from the parity
		// oracle
		private static final double[] COSINE_NEGATIVE_WARMUP = { 0.09797464868072488, 0.09206267664155907,
				0.08274303669726427, 0.07077075065009433, 0.05711574191366427 };

		private static final double[] LINEAR_NEGATIVE_WARMUP = { 0.0625, 0.05, 0.037500000000000006, 0.025, 0.0125, 0.0,
				0.0, 0.0, 0.0, 0.0 };

		private static final double[] RESTARTS_NEGATIVE_WARMUP = { 0.025000000000000012, 0.1, 0.07500000000000002,
				0.02499999999999999, 0.0, 0.0, 0.0, 0.0 };

		private static final double[] MIN_LR_NEGATIVE_WARMUP = { 0.08305704108364302, 0.06501344202803415,
				0.04498655797196586, 0.026942958916356997, 0.014456400944391146, 0.010000000000000002,
				0.014456400944391141, 0.026942958916356986 };

		private static final double[] INVERSE_SQRT_NEGATIVE_WARMUP = { 0.07745966692414835, 0.07071067811865475,
				0.06546536707079771, 0.06123724356957945, 0.05773502691896259 };

		private static final double[] POLYNOMIAL_NEGATIVE_TOTAL = { 0.0, 0.05, 1e-07, 1e-07, 1e-07 };

		private static final double[] POLYNOMIAL_NEGATIVE_WARMUP = { 0.036000064000000005, 0.016000084,
				0.004000095999999998, 1e-07, 1e-07, 1e-07, 1e-07 };

		private static final double[] WSD_NEGATIVE_DECAY = { 0.0, 0.1, 0.1, 0.1, 0.0, 0.0, 0.0 };

		private static final double[] WSD_NEGATIVE_WARMUP = { 0.1, 0.1, 0.1, 0.07750000000000001, 0.05500000000000001,
				0.0325, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002 };

		private static final double[] CYCLIC_NEGATIVE_UP_MOMENTUM = { 0.9, 0.8875000000000001, 0.875, 0.8625,
				0.8500000000000001 };

		private static final double[] CYCLIC_UP_5_DOWN_MINUS_8 = { 0.075, 0.065, 0.06999999999999999, 0.075, 0.065,
				0.07, 0.075, 0.065, 0.06999999999999999 };

		private static final double[] CYCLIC_TRIANGULAR2_NEGATIVE = { 0.01, 0.06999999999999999, 0.13000000000000003,
				0.19000000000000003, 0.09999999999999999, 0.01, 0.12999999999999998, 0.24999999999999997, 0.37, 0.19,
				0.01 };

		@Test
		void huggingFaceTakesANegativeWarmup() {
			Schedule cosine = Schedule.of(spec("type", "cosine", "num_warmup_steps", -1L, "num_training_steps", 10L),
					List.of(new ParamGroup(0.1, null)));
			assertLrs(lrs(cosine, cosine.start(0), 4), COSINE_NEGATIVE_WARMUP);
			Schedule linear = Schedule.of(spec("type", "linear", "num_warmup_steps", -3L, "num_training_steps", 5L),
					List.of(new ParamGroup(0.1, null)));
			assertLrs(lrs(linear, linear.start(0), 9), LINEAR_NEGATIVE_WARMUP);
			Schedule restarts = Schedule.of(spec("type", "cosine_with_restarts", "num_warmup_steps", -2L,
					"num_training_steps", 4L, "num_cycles", 2.0), List.of(new ParamGroup(0.1, null)));
			assertLrs(lrs(restarts, restarts.start(0), 7), RESTARTS_NEGATIVE_WARMUP);
			Schedule minLr = Schedule.of(spec("type", "cosine_warmup_with_min_lr", "num_warmup_steps", -1L,
					"num_training_steps", 6L, "min_lr_rate", 0.1), List.of(new ParamGroup(0.1, null)));
			assertLrs(lrs(minLr, minLr.start(0), 7), MIN_LR_NEGATIVE_WARMUP);
			Schedule inverseSqrt = Schedule.of(spec("type", "inverse_sqrt", "num_warmup_steps", -2L, "timescale", 3L),
					List.of(new ParamGroup(0.1, null)));
			assertLrs(lrs(inverseSqrt, inverseSqrt.start(0), 4), INVERSE_SQRT_NEGATIVE_WARMUP);
		}

		@Test
		void polynomialWithANegativeTotalDecaysToLrEndAtOnce() {
			Schedule schedule = Schedule.of(
					spec("type", "polynomial", "num_warmup_steps", 2L, "num_training_steps", -1L),
					List.of(new ParamGroup(0.1, null)));
			assertLrs(lrs(schedule, schedule.start(0), 4), POLYNOMIAL_NEGATIVE_TOTAL);
			schedule = Schedule.of(
					spec("type", "polynomial", "num_warmup_steps", -2L, "num_training_steps", 3L, "power", 2.0),
					List.of(new ParamGroup(0.1, null)));
			assertLrs(lrs(schedule, schedule.start(0), 6), POLYNOMIAL_NEGATIVE_WARMUP);
		}

		@Test
		void warmupStableDecayWithNegativeCounts() {
			Schedule schedule = Schedule.of(spec("type", "warmup_stable_decay", "num_warmup_steps", 1L,
					"num_decay_steps", -2L, "num_stable_steps", 3L), List.of(new ParamGroup(0.1, null)));
			assertLrs(lrs(schedule, schedule.start(0), 6), WSD_NEGATIVE_DECAY);
			schedule = Schedule.of(
					spec("type", "warmup_stable_decay", "num_warmup_steps", -2L, "num_decay_steps", 4L,
							"num_training_steps", 6L, "decay_type", "linear", "min_lr_ratio", 0.1),
					List.of(new ParamGroup(0.1, null)));
			assertLrs(lrs(schedule, schedule.start(0), 8), WSD_NEGATIVE_WARMUP);
		}

		@Test
		void inverseSqrtWithANegativeWarmupDividesByZeroAtConstruction() {
			// timescale = num_warmup_steps or 10000 = -1; lr_lambda(0) = 1 / sqrt(-0.0)
			InvalidScheduleException ex = refused(spec("type", "inverse_sqrt", "num_warmup_steps", -1L), ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.INVALID);
			assertThat(ex.errors().get(0).message()).contains("float division by zero");
		}

		@Test
		void cyclicLrTakesNegativeStepSizes() {
			Schedule schedule = Schedule
				.of(spec("type", "CyclicLR", "base_lr", 0.06, "max_lr", 0.1, "step_size_up", -8L), ONE_GROUP);
			List<ScheduleState> states = new java.util.ArrayList<>();
			ScheduleState state = schedule.start(0);
			states.add(state);
			for (int i = 0; i < 4; i++) {
				state = schedule.step(state, null);
				states.add(state);
			}
			assertLrs(states.stream().map((s) -> s.lr(0)).toList(), 0.06, 0.065, 0.07, 0.075, 0.08);
			assertLrs(states.stream().map((s) -> s.paramGroups().get(0).momentum()).toList(),
					CYCLIC_NEGATIVE_UP_MOMENTUM);
			schedule = Schedule.of(
					spec("type", "CyclicLR", "base_lr", 0.06, "max_lr", 0.1, "step_size_up", 5L, "step_size_down", -8L),
					ONE_GROUP);
			assertLrs(lrs(schedule, schedule.start(0), 8), CYCLIC_UP_5_DOWN_MINUS_8);
			schedule = Schedule.of(spec("type", "CyclicLR", "base_lr", 0.01, "max_lr", 0.1, "step_size_up", -2L,
					"step_size_down", -3L, "mode", "triangular2"), ONE_GROUP);
			assertLrs(lrs(schedule, schedule.start(0), 10), CYCLIC_TRIANGULAR2_NEGATIVE);
		}

		@Test
		void cyclicLrWithAZeroTotalSizeDividesByZeroAtConstruction() {
			InvalidScheduleException ex = refused(
					spec("type", "CyclicLR", "base_lr", 0.06, "max_lr", 0.1, "step_size_up", -3L, "step_size_down", 3L),
					ONE_GROUP);
			assertThat(ex.kind()).isEqualTo(Kind.INVALID);
			assertThat(ex.errors()).extracting(FieldError::field).containsExactly("scheduler.step_size_up");
		}

	}

}
