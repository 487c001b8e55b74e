package dev.stepwise.scheduler.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The body of {@code POST /api/v1/schedulers/{id}/resume}.
 *
 * @param lastEpoch the {@code last_epoch} of the checkpoint the trainer restarted from
 */
@Schema(name = "ResumeRequest", description = "The checkpoint a trainer restarted from.")
record ResumeRequest(@Schema(description = "The last_epoch of the checkpoint (taken after that epoch's step).",
		example = "40",
		requiredMode = Schema.RequiredMode.REQUIRED) @JsonProperty("last_epoch") @NotNull @Min(0) Long lastEpoch) {

}
