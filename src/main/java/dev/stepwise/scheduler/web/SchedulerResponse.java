package dev.stepwise.scheduler.web;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.stepwise.scheduler.SchedulerDetails;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A registered scheduler: its state, its normalised spec and registration.
 *
 * @param id the scheduler id
 * @param lastEpoch PyTorch's {@code last_epoch}
 * @param paramGroups the current param groups (JSON written as is)
 * @param scheduler the normalised spec (JSON written as is)
 * @param initialParamGroups the param groups as registered (JSON written as is)
 * @param createdAt when it was registered
 * @param updatedAt when its state last changed
 */
@Schema(name = "Scheduler", description = "A registered scheduler.")
record SchedulerResponse(@Schema(example = "resnet50-run17") String id,
		@Schema(example = "0") @JsonProperty("last_epoch") long lastEpoch,
		@ArraySchema(schema = @Schema(
				implementation = ParamGroupBody.class)) @JsonProperty("param_groups") @JsonRawValue String paramGroups,
		@Schema(ref = "#/components/schemas/SchedulerSpec",
				description = "The spec with every default filled in.") @JsonRawValue String scheduler,
		@ArraySchema(schema = @Schema(
				implementation = ParamGroupBody.class)) @JsonProperty("initial_param_groups") @JsonRawValue String initialParamGroups,
		@JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt) {

	static SchedulerResponse of(SchedulerDetails details) {
		return new SchedulerResponse(details.position().id(), details.position().lastEpoch(),
				details.position().paramGroupsJson(), details.specJson(), details.initialParamGroupsJson(),
				details.createdAt(), details.updatedAt());
	}

}
