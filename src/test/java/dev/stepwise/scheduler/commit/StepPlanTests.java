package dev.stepwise.scheduler.commit;

import dev.stepwise.schedule.StepException;
import dev.stepwise.scheduler.EpochConflictException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How a step request is decided against where the scheduler stands.
 */
class StepPlanTests {

	@Test
	void noEpochStepsToTheNext() {
		assertThat(StepPlan.of(5, 5, null, false)).isEqualTo(new StepPlan(false, 6, false));
		assertThat(StepPlan.of(10, 10.5, null, true)).isEqualTo(new StepPlan(false, 11, false));
	}

	@Test
	void nextEpochIsAStep() {
		assertThat(StepPlan.of(5, 5, 6.0, false)).isEqualTo(new StepPlan(false, 6, true));
		assertThat(StepPlan.of(10, 10.5, 11.0, true)).isEqualTo(new StepPlan(false, 11, true));
	}

	@Test
	void recordedEpochIsAReplay() {
		assertThat(StepPlan.of(5, 5, 5.0, false)).isEqualTo(new StepPlan(true, 5, true));
		assertThat(StepPlan.of(5, 5, 0.0, false)).isEqualTo(new StepPlan(true, 0, true));
		assertThat(StepPlan.of(10, 10.5, 10.25, true)).isEqualTo(new StepPlan(true, 10.25, true));
		assertThat(StepPlan.of(10, 10.5, 10.5, true)).isEqualTo(new StepPlan(true, 10.5, true));
	}

	@Test
	void gapIsAConflictNamingTheExpectedEpoch() {
		assertThatExceptionOfType(EpochConflictException.class).isThrownBy(() -> StepPlan.of(5, 5, 7.0, false))
			.satisfies((ex) -> assertThat(ex.expectedEpoch()).isEqualTo(6L))
			.withMessageContaining("6");
		assertThatExceptionOfType(EpochConflictException.class).isThrownBy(() -> StepPlan.of(10, 10.5, 12.5, true));
	}

	@Test
	void fractionalEpochAboveThePositionIsAStepWhenTheTypeTakesOne() {
		assertThat(StepPlan.of(10, 10, 10.25, true)).isEqualTo(new StepPlan(false, 10.25, true));
		assertThat(StepPlan.of(10, 10.25, 11.5, true)).isEqualTo(new StepPlan(false, 11.5, true));
	}

	@Test
	void fractionalEpochIsRefusedByOtherTypes() {
		assertThatExceptionOfType(StepException.class).isThrownBy(() -> StepPlan.of(10, 10, 10.5, false))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(StepException.Reason.FRACTIONAL_EPOCH_UNSUPPORTED));
	}

	@Test
	void epochsAreFormattedAsUsersWriteThem() {
		assertThat(StepPlan.format(12)).isEqualTo("12");
		assertThat(StepPlan.format(10.25)).isEqualTo("10.25");
	}

	@Test
	void metricsAreTheSameWhenAbsentEqualOrBothNaN() {
		assertThat(StepBatch.sameMetric(null, null)).isTrue();
		assertThat(StepBatch.sameMetric(0.5, 0.5)).isTrue();
		assertThat(StepBatch.sameMetric(Double.NaN, Double.NaN)).isTrue();
		assertThat(StepBatch.sameMetric(0.0, -0.0)).isTrue();
		assertThat(StepBatch.sameMetric(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY)).isTrue();
		assertThat(StepBatch.sameMetric(null, 0.5)).isFalse();
		assertThat(StepBatch.sameMetric(0.5, null)).isFalse();
		assertThat(StepBatch.sameMetric(0.5, 0.25)).isFalse();
		assertThat(StepBatch.sameMetric(Double.NaN, 0.5)).isFalse();
	}

}
