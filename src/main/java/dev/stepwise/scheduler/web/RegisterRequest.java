package dev.stepwise.scheduler.web;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.scheduler.Limits;
import dev.stepwise.scheduler.Registration;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/schedulers}.
 *
 * @param id the id to register under; a UUID is generated when absent
 * @param paramGroups the optimizer's param groups
 * @param scheduler the scheduler spec
 * @param lastEpoch 0 (or -1) or the number of steps already taken
 * @param attempt the training attempt that registers, or {@code null}
 */
@Schema(name = "RegisterRequest", description = "A scheduler to register on an optimizer's param groups.")
record RegisterRequest(
		@Schema(description = "The scheduler id; a UUID is generated when absent. Registering an existing id with an"
				+ " identical body (same param_groups, scheduler and last_epoch; key order and -1 vs 0 do not matter)"
				+ " answers 200, with a different body 409.", example = "resnet50-run17",
				nullable = true) @Pattern(regexp = Limits.ID_PATTERN) @Nullable String id,
		@Schema(description = "The optimizer's param groups, 1 to " + Limits.MAX_PARAM_GROUPS + ".",
				requiredMode = Schema.RequiredMode.REQUIRED) @JsonProperty("param_groups") @NotNull @Size(min = 1,
						max = Limits.MAX_PARAM_GROUPS) List<@NotNull @Valid ParamGroupBody> paramGroups,
		@Schema(ref = "#/components/schemas/SchedulerSpec",
				requiredMode = Schema.RequiredMode.REQUIRED) @NotNull Map<String, Object> scheduler,
		@Schema(description = "0 (default; -1, PyTorch's default, means the same) or k >= 1 to register the schedule"
				+ " as already stepped k times without metrics (fast-forward; 422 for schedules that need metrics).",
				example = "0", minimum = "-1",
				nullable = true) @JsonProperty("last_epoch") @Min(-1) @Nullable Long lastEpoch,
		@Schema(description = "The training attempt, shared by every rank of one attempt of a job (e.g. torchrun's"
				+ " TORCHELASTIC_RUN_ID/TORCHELASTIC_RESTART_COUNT); printable ASCII without spaces, 1 to 200"
				+ " characters. A new attempt is adopted: it supersedes the current one (whose"
				+ " requests are refused from then on, 409 stale-attempt) and the scheduler stands at the schedule's"
				+ " start until the attempt starts, by its first step (from the start) or its first resume or state"
				+ " PUT (from a checkpoint). With an attempt, the answer's last_epoch and param_groups are the"
				+ " schedule's start (what a torch scheduler holds right after construction). Not part of the body"
				+ " compared on re-registration. Absent: no attempt, the registration neither adopts nor checks one.",
				example = "resnet50-run17-job42/1",
				nullable = true) @Pattern(regexp = Limits.ATTEMPT_PATTERN) @Nullable String attempt) {

	Registration toRegistration() {
		return new Registration(this.id, SpecJson.paramGroups(this.paramGroups), SpecJson.scheduler(this.scheduler),
				(this.lastEpoch != null) ? this.lastEpoch : 0, this.attempt);
	}

}
