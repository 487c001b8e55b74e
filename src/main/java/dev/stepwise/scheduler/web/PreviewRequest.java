package dev.stepwise.scheduler.web;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.scheduler.Limits;
import dev.stepwise.scheduler.PreviewCommand;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/previews}.
 *
 * @param paramGroups the optimizer's param groups
 * @param scheduler the scheduler spec
 * @param steps how many steps to compute
 * @param metrics one metric per step, for schedulers that need them
 * @param lastEpoch as for a registration
 * @param consumed what each step consumes, for a schedule in tokens or samples
 */
@Schema(name = "PreviewRequest", description = "A schedule to compute without storing it.")
record PreviewRequest(
		@Schema(description = "The optimizer's param groups, 1 to " + Limits.MAX_PARAM_GROUPS + ".",
				requiredMode = Schema.RequiredMode.REQUIRED) @JsonProperty("param_groups") @NotNull @Size(min = 1,
						max = Limits.MAX_PARAM_GROUPS) List<@NotNull @Valid ParamGroupBody> paramGroups,
		@Schema(ref = "#/components/schemas/SchedulerSpec",
				requiredMode = Schema.RequiredMode.REQUIRED) @NotNull Map<String, Object> scheduler,
		@Schema(description = "How many steps to take, 0 to " + Limits.MAX_PREVIEW_STEPS
				+ "; (steps + 1) x param groups must not exceed " + Limits.MAX_PREVIEW_VALUES + ".", example = "500",
				requiredMode = Schema.RequiredMode.REQUIRED) @NotNull @Min(0) @Max(Limits.MAX_PREVIEW_STEPS) Integer steps,
		@ArraySchema(
				arraySchema = @Schema(description = "One metric per step (at most steps of them), for"
						+ " ReduceLROnPlateau / reduce_lr_on_plateau (and stepwise.WarmupPlateau after its warmup, null"
						+ " before); NaN and infinities as for a step.", nullable = true),
				schema = @Schema(type = "number", nullable = true)) @Size(
						max = Limits.MAX_PREVIEW_STEPS) @Nullable List<@Nullable Double> metrics,
		@Schema(description = "As for a registration.", example = "0", minimum = "-1",
				nullable = true) @JsonProperty("last_epoch") @Min(-1) @Nullable Long lastEpoch,
		@ArraySchema(arraySchema = @Schema(description = "For a schedule in tokens or samples (\"unit\" in the"
				+ " spec), and required then: what each step consumes, one positive integer per step, or a single"
				+ " one for every step; each state then shows consumed, the position its lr is evaluated at.",
				example = "[524288]", nullable = true),
				schema = @Schema(type = "integer", format = "int64", minimum = "1")) @Size(
						max = Limits.MAX_PREVIEW_STEPS) @Nullable List<@NotNull Long> consumed) {

	PreviewCommand toCommand() {
		return new PreviewCommand(SpecJson.paramGroups(this.paramGroups), SpecJson.scheduler(this.scheduler),
				this.steps, (this.metrics != null) ? this.metrics : List.of(),
				(this.lastEpoch != null) ? this.lastEpoch : 0, (this.consumed != null) ? this.consumed : List.of());
	}

}
