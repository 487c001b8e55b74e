package dev.stepwise.scheduler.web;

import dev.stepwise.scheduler.Limits;
import dev.stepwise.scheduler.StepCommand;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/schedulers/{id}/steps}; every field is optional.
 *
 * @param epoch the {@code last_epoch} this step produces, {@code last_epoch + 1} when
 * absent
 * @param metric the validation metric of this step
 * @param attempt the training attempt that posts it
 * @param count how many steps, 1 when absent
 * @param consumed what each step consumed, for a schedule in tokens or samples
 */
@Schema(name = "StepRequest",
		description = "One scheduler.step(), or count of them; every field is optional, the body too (consumed is"
				+ " required for a schedule in tokens or samples).")
record StepRequest(
		@Schema(description = "The last_epoch this step produces (with count, the last of the steps); absent means"
				+ " last_epoch + count. With count, the steps take last_epoch + 1 to epoch, a retry of the same"
				+ " request is answered from the history, and an epoch some of whose steps were taken already is"
				+ " 409. Without count: last_epoch + 1 takes"
				+ " the step; an epoch <= last_epoch is answered from the history (replayed: true), 409 if it is no"
				+ " longer recorded or was recorded with a different metric; more than last_epoch + 1 is a gap (409)."
				+ " CosineAnnealingWarmRestarts also takes fractional epochs above its current position"
				+ " (scheduler.step(epoch + i / iters)); a fractional epoch is 422 for every other type.",
				example = "41", minimum = "0",
				nullable = true) @Finite @DecimalMin("0") @DecimalMax(Limits.MAX_EPOCH) @Nullable Double epoch,
		@Schema(description = "The validation metric (ReduceLROnPlateau and reduce_lr_on_plateau require it, 400"
				+ " without; stepwise.WarmupPlateau after its warmup_steps, and stepwise.PerGroup where a child"
				+ " does, the same metric going to every child). NaN, Infinity and -Infinity are accepted as bare tokens (Python's json.dumps) or as"
				+ " strings, and treated as PyTorch treats float('nan') / float('inf'). Recorded for every type.",
				example = "0.532", nullable = true) @Nullable Double metric,
		@Schema(description = "The training attempt, shared by every rank of one attempt of a job (e.g. torchrun's"
				+ " TORCHELASTIC_RUN_ID/TORCHELASTIC_RESTART_COUNT); printable ASCII without spaces, 1 to 200"
				+ " characters. Anything but the scheduler's current attempt is 409"
				+ " stale-attempt. The first step taken after the attempt's adoption starts it from the schedule's"
				+ " start (the superseded attempts' history after the start is discarded). Absent: not checked.",
				example = "resnet50-run17-job42/1",
				nullable = true) @Pattern(regexp = Limits.ATTEMPT_PATTERN) @Nullable String attempt,
		@Schema(description = "Take this many steps at once, 1 to " + Limits.MAX_STEP_COUNT + " (and at most "
				+ Limits.MAX_STEP_VALUES + " values recorded: count x scheduler objects x param groups), each with"
				+ " the same metric and the same consumed: gradient accumulation, or Accelerate's num_processes"
				+ " steps per optimizer step. Taken atomically (a step PyTorch refuses takes none of them), recorded"
				+ " as count history records (one each, as single steps write them) and answered with the last"
				+ " state. Absent: 1.", example = "4", minimum = "1", maximum = "" + Limits.MAX_STEP_COUNT,
				nullable = true) @Min(1) @Max(Limits.MAX_STEP_COUNT) @Nullable Integer count,
		@Schema(description = "For a schedule registered with unit tokens or samples, and required then (400"
				+ " without): how many tokens or samples this step consumed, a positive integer; with count, each"
				+ " of the steps consumed this many. The schedule's lr is its closed form at the total consumed"
				+ " so far. 422 for a schedule in steps.", example = "524288", minimum = "1",
				nullable = true) @Min(1) @Nullable Long consumed) {

	static final StepRequest EMPTY = new StepRequest(null, null, null, null, null);

	StepCommand toCommand() {
		return new StepCommand(this.epoch, this.metric, this.attempt, (this.count != null) ? this.count : 1,
				this.consumed);
	}

}
