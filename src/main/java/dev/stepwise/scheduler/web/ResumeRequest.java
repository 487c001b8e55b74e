package dev.stepwise.scheduler.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.scheduler.Limits;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/schedulers/{id}/resume}.
 *
 * @param lastEpoch the {@code last_epoch} of the checkpoint the trainer restarted from
 * @param attempt the training attempt that resumes
 */
@Schema(name = "ResumeRequest", description = "The checkpoint a trainer restarted from.")
record ResumeRequest(@Schema(description = "The last_epoch of the checkpoint (taken after that epoch's step).",
		example = "40",
		requiredMode = Schema.RequiredMode.REQUIRED) @JsonProperty("last_epoch") @NotNull @Min(0) Long lastEpoch,
		@Schema(description = "The training attempt, shared by every rank of one attempt of a job (e.g. torchrun's"
				+ " TORCHELASTIC_RUN_ID/TORCHELASTIC_RESTART_COUNT); printable ASCII without spaces, 1 to 200"
				+ " characters. Anything but the scheduler's current attempt is 409 stale-attempt. Until the"
				+ " attempt has started, any recorded epoch may be resumed (the superseded attempts' history is kept"
				+ " until then), and the resume starts it; a second resume of the epoch the attempt last restored"
				+ " (its other ranks) answers that epoch's recorded state and changes nothing. Absent: not checked.",
				example = "resnet50-run17-job42/1",
				nullable = true) @Pattern(regexp = Limits.ATTEMPT_PATTERN) @Nullable String attempt) {

}
