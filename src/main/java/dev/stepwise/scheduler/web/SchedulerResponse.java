package dev.stepwise.scheduler.web;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.stepwise.scheduler.SchedulerDetails;
import dev.stepwise.scheduler.SchedulerPage;
import dev.stepwise.scheduler.SchedulerSummary;
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
 * @param summary in the list only: what it shows at a glance
 * @param consumed the tokens or samples consumed so far, for a schedule in that unit
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
				example = "true") @JsonProperty("attempt_started") boolean attemptStarted,
		@Schema(description = "In the list only: the scheduler at a glance.") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Summary summary,
		@Schema(description = StateResponse.UNITS_CONSUMED, example = "1572864",
				nullable = true) @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long consumed) {

	static SchedulerResponse of(SchedulerDetails details) {
		return of(details, null);
	}

	static SchedulerResponse of(SchedulerPage.Listed listed) {
		SchedulerSummary summary = listed.summary();
		return of(listed.details(), new Summary(summary.lrs(), summary.lastMetric(), summary.totalSteps()));
	}

	private static SchedulerResponse of(SchedulerDetails details, @Nullable Summary summary) {
		return new SchedulerResponse(details.position().id(), details.position().lastEpoch(),
				details.position().paramGroupsJson(), details.specJson(), details.initialParamGroupsJson(),
				details.createdAt(), details.updatedAt(), details.attempt(), details.attemptStarted(), summary,
				details.position().consumed());
	}

	/**
	 * A scheduler at a glance, for a list.
	 *
	 * @param lrs the current lr of each param group
	 * @param lastMetric the metric of the latest history record
	 * @param totalSteps the schedule's length, where its type has one
	 */
	@Schema(name = "SchedulerSummary", description = "A scheduler at a glance.")
	record Summary(
			@Schema(description = "The current lr of each param group; non-finite values as strings.",
					example = "[0.1, 0.01]") List<Double> lrs,
			@Schema(description = "The metric of the latest history record; null when that step had none (a"
					+ " registration, a state PUT, a step without metric); non-finite values as strings.",
					example = "0.532", nullable = true) @JsonProperty("last_metric") @Nullable Double lastMetric,
			@Schema(description = "How many steps the schedule lasts, where its type has a length: OneCycleLR's"
					+ " total_steps (or epochs x steps_per_epoch), CosineAnnealingLR's T_max, the total_iters of"
					+ " LinearLR, ConstantLR and PolynomialLR, Hugging Face's num_training_steps (warmup_stable_decay:"
					+ " warmup + stable + decay when num_stable_steps is given), a SequentialLR's last milestone plus"
					+ " its last child's length; else null.", example = "1000",
					nullable = true) @JsonProperty("total_steps") @Nullable Long totalSteps) {
	}

}
