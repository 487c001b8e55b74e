package dev.stepwise.scheduler.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.stepwise.scheduler.StepResult;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The answer to a step: the state it produced, and whether it was answered from the
 * history.
 *
 * @param id the scheduler id
 * @param lastEpoch PyTorch's {@code last_epoch} after the step
 * @param paramGroups the param groups after the step, a JSON array written as is
 * @param replayed whether the epoch had been stepped to before
 * @param consumed the tokens or samples consumed so far, for a schedule in that unit
 * @param finished true when the schedule is over (a finished stepwise.LRRangeTest), else
 * absent
 */
@Schema(name = "StepResult", description = "The state a step produced.")
record StepResponse(@Schema(example = "resnet50-run17") String id,
		@Schema(example = "41") @JsonProperty("last_epoch") long lastEpoch,
		@ArraySchema(schema = @Schema(
				implementation = ParamGroupBody.class)) @JsonProperty("param_groups") @JsonRawValue String paramGroups,
		@Schema(description = "true when the epoch had been stepped to before (a retry, another rank): nothing"
				+ " changed and the recorded state is returned.") boolean replayed,
		@Schema(description = StateResponse.UNITS_CONSUMED, example = "1572864",
				nullable = true) @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long consumed,
		@Schema(description = "Only present, true, when the schedule is over at this epoch and refuses further steps:"
				+ " a stepwise.LRRangeTest whose loss diverged or that took num_steps steps (read GET .../lr-finder).",
				example = "true") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Boolean finished) {

	static StepResponse of(StepResult result) {
		return new StepResponse(result.position().id(), result.position().lastEpoch(),
				result.position().paramGroupsJson(), result.replayed(), result.position().consumed(),
				result.finished());
	}

}
