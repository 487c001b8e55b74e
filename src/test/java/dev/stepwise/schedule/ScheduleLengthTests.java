package dev.stepwise.schedule;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The length each type declares, read from real normalised specs (every default filled
 * in, as the list of schedulers reads them back).
 */
class ScheduleLengthTests {

	private static final List<ParamGroup> GROUPS = List.of(new ParamGroup(0.1, 0.9));

	@Test
	void oneCycleLastsTotalStepsOrEpochsTimesStepsPerEpoch() {
		assertThat(length(Map.of("type", "OneCycleLR", "max_lr", 0.1, "total_steps", 1000L))).hasValue(1000);
		assertThat(length(Map.of("type", "OneCycleLR", "max_lr", 0.1, "epochs", 10L, "steps_per_epoch", 50L)))
			.hasValue(500);
	}

	@Test
	void cosineAnnealingLastsTMax() {
		assertThat(length(Map.of("type", "CosineAnnealingLR", "T_max", 45L))).hasValue(45);
	}

	@Test
	void linearConstantAndPolynomialLastTotalIters() {
		assertThat(length(Map.of("type", "LinearLR", "total_iters", 7L))).hasValue(7);
		assertThat(length(Map.of("type", "ConstantLR"))).as("the default total_iters").hasValue(5);
		assertThat(length(Map.of("type", "PolynomialLR", "total_iters", 12L))).hasValue(12);
	}

	@Test
	void huggingFaceSchedulesLastNumTrainingSteps() {
		for (String type : List.of("linear", "cosine", "cosine_with_restarts", "polynomial")) {
			assertThat(length(Map.of("type", type, "num_warmup_steps", 10L, "num_training_steps", 100L))).as(type)
				.hasValue(100);
		}
		assertThat(length(Map.of("type", "cosine_with_min_lr", "num_warmup_steps", 10L, "num_training_steps", 90L,
				"min_lr_rate", 0.1)))
			.hasValue(90);
		assertThat(length(Map.of("type", "cosine_warmup_with_min_lr", "num_warmup_steps", 10L, "num_training_steps",
				80L, "min_lr_rate", 0.1)))
			.hasValue(80);
	}

	@Test
	void warmupStableDecayAddsItsPhasesWhenTheStablePhaseIsGiven() {
		assertThat(length(Map.of("type", "warmup_stable_decay", "num_warmup_steps", 10L, "num_decay_steps", 20L,
				"num_training_steps", 100L)))
			.hasValue(100);
		assertThat(length(Map.of("type", "warmup_stable_decay", "num_warmup_steps", 10L, "num_decay_steps", 20L,
				"num_stable_steps", 5L)))
			.hasValue(35);
	}

	@Test
	void sequentialLastsItsLastMilestonePlusItsLastChild() {
		Map<String, Object> warmupThenCosine = Map.of("type", "SequentialLR", "milestones", List.of(5L), "schedulers",
				List.of(Map.of("type", "LinearLR", "start_factor", 0.01, "total_iters", 5L),
						Map.of("type", "CosineAnnealingLR", "T_max", 45L)));
		assertThat(length(warmupThenCosine)).hasValue(50);
		Map<String, Object> endless = Map.of("type", "SequentialLR", "milestones", List.of(5L), "schedulers",
				List.of(Map.of("type", "LinearLR"), Map.of("type", "ExponentialLR", "gamma", 0.9)));
		assertThat(length(endless)).as("the last child has no length").isEmpty();
	}

	@Test
	void typesWithoutALengthHaveNone() {
		assertThat(length(Map.of("type", "StepLR", "step_size", 3L))).isEmpty();
		assertThat(length(Map.of("type", "ExponentialLR", "gamma", 0.9))).isEmpty();
		assertThat(length(Map.of("type", "ReduceLROnPlateau"))).isEmpty();
		assertThat(length(Map.of("type", "CyclicLR", "base_lr", 0.01, "max_lr", 0.1))).isEmpty();
		assertThat(length(Map.of("type", "ChainedScheduler", "schedulers",
				List.of(Map.of("type", "LinearLR"), Map.of("type", "ConstantLR")))))
			.isEmpty();
		assertThat(length(Map.of("type", "constant_with_warmup", "num_warmup_steps", 3L))).isEmpty();
	}

	@Test
	void negativeOverflowingAndMalformedValuesHaveNoLength() {
		// PyTorch takes a negative T_max; it is no length
		assertThat(SchedulerCatalogue.length(Map.of("type", "CosineAnnealingLR", "T_max", -4L))).isEmpty();
		assertThat(SchedulerCatalogue
			.length(Map.of("type", "OneCycleLR", "epochs", Long.MAX_VALUE, "steps_per_epoch", 2L))).isEmpty();
		assertThat(SchedulerCatalogue.length(Map.of("type", "LinearLR", "total_iters", 2.5))).isEmpty();
		assertThat(SchedulerCatalogue.length(Map.of("type", "LinearLR", "total_iters", 4.0))).hasValue(4);
		assertThat(SchedulerCatalogue.length(Map.of("type", "NoSuchLR"))).isEmpty();
		assertThat(SchedulerCatalogue.length(Map.of("total_iters", 4L))).isEmpty();
	}

	private static OptionalLong length(Map<String, Object> spec) {
		return SchedulerCatalogue.length(Schedule.of(spec, GROUPS).normalizedSpec());
	}

}
