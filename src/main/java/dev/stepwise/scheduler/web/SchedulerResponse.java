package dev.stepwise.scheduler.web;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.stepwise.scheduler.SchedulerDetails;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

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
 * @param attempt the current training attempt
 * @param attemptStarted whether it has started
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
		@JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt,
		@Schema(description = "The current training attempt: the last one a registration adopted; null when no"
				+ " registration named one.", example = "resnet50-run17-job42/1",
				nullable = true) @Nullable String attempt,
		@Schema(description = "false from the adoption of the attempt until its first step, resume or state PUT"
				+ " (the scheduler stands at the schedule's start meanwhile); true without an attempt.",
				example = "true") @JsonProperty("attempt_started") boolean attemptStarted) {

	static SchedulerResponse of(SchedulerDetails details) {
		return new SchedulerResponse(details.position().id(), details.position().lastEpoch(),
				details.position().paramGroupsJson(), details.specJson(), details.initialParamGroupsJson(),
				details.createdAt(), details.updatedAt(), details.attempt(), details.attemptStarted());
	}

}
