package dev.stepwise.scheduler.web;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.stepwise.scheduler.AmendmentRecord;
import dev.stepwise.scheduler.Amendments;
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
 * @param schedulerInForce one scheduler's view only: the normalised spec in force
 * @param amendments one scheduler's view only: its amendments
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
				nullable = true) @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long consumed,
		@Schema(ref = "#/components/schemas/SchedulerSpec",
				description = "GET of one scheduler and amendments only: the normalised spec in force, the scheduler"
						+ " spec unless an amendment changed it (scheduler stays the registered one).") @JsonProperty("scheduler_in_force") @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue @Nullable String schedulerInForce,
		@Schema(description = "GET of one scheduler and amendments only: its amendments, in the order they were"
				+ " posted.") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<AmendmentBody> amendments) {

	static SchedulerResponse of(SchedulerDetails details) {
		return of(details, (Summary) null);
	}

	/** One scheduler's view: with the spec in force and its amendments. */
	static SchedulerResponse of(SchedulerDetails details, Amendments amendments) {
		SchedulerResponse plain = of(details);
		return new SchedulerResponse(plain.id, plain.lastEpoch, plain.paramGroups, plain.scheduler,
				plain.initialParamGroups, plain.createdAt, plain.updatedAt, plain.attempt, plain.attemptStarted, null,
				plain.consumed, amendments.specInForceJson(),
				amendments.records().stream().map(AmendmentBody::of).toList());
	}

	static SchedulerResponse of(SchedulerPage.Listed listed) {
		SchedulerSummary summary = listed.summary();
		return of(listed.details(), new Summary(summary.lrs(), summary.lastMetric(), summary.totalSteps()));
	}

	private static SchedulerResponse of(SchedulerDetails details, @Nullable Summary summary) {
		return new SchedulerResponse(details.position().id(), details.position().lastEpoch(),
				details.position().paramGroupsJson(), details.specJson(), details.initialParamGroupsJson(),
				details.createdAt(), details.updatedAt(), details.attempt(), details.attemptStarted(), summary,
				details.position().consumed(), null, null);
	}

	/**
	 * An amendment as recorded.
	 *
	 * @param amendmentId its id
	 * @param atEpoch the epoch it takes effect at
	 * @param status pending, applied, undone or failed
	 * @param request the request as posted (canonical)
	 * @param scheduler the spec in force from at_epoch (applied or undone)
	 * @param lrs each group's lr in force at at_epoch (applied or undone)
	 * @param detail why the engine refused it (failed)
	 * @param createdAt when it was posted
	 * @param appliedAt when it took effect (or failed)
	 * @param undoneAt when a resume or state PUT before at_epoch undid it
	 */
	@Schema(name = "Amendment", description = "An amendment of the schedule, anchored to an epoch.")
	record AmendmentBody(@Schema(example = "extend-to-15k") @JsonProperty("amendment_id") String amendmentId,
			@Schema(example = "12000") @JsonProperty("at_epoch") long atEpoch,
			@Schema(description = "pending (its epoch not reached yet), applied (in force from at_epoch), undone (a"
					+ " resume or state PUT went back before at_epoch; posting it again reopens it) or failed (the"
					+ " engine refused it when its epoch was reached, e.g. an extension too costly to fast-forward;"
					+ " the run went on unchanged).",
					allowableValues = {
							"pending", "applied", "undone", "failed" }) String status,
			@Schema(description = "The request as posted, keys sorted.",
					implementation = Object.class) @JsonRawValue String request,
			@Schema(ref = "#/components/schemas/SchedulerSpec",
					description = "The normalised spec in force from at_epoch; null until applied.",
					nullable = true) @JsonRawValue @Nullable String scheduler,
			@Schema(description = "The lr of each group in force at at_epoch, after the amendment; null until applied.",
					nullable = true) @JsonRawValue @Nullable String lrs,
			@Schema(description = "Why the engine refused it (failed); else null.",
					nullable = true) @Nullable String detail,
			@JsonProperty("created_at") Instant createdAt,
			@Schema(nullable = true) @JsonProperty("applied_at") @Nullable Instant appliedAt,
			@Schema(nullable = true) @JsonProperty("undone_at") @Nullable Instant undoneAt){

		static AmendmentBody of(AmendmentRecord record) {
			return new AmendmentBody(record.amendmentId(), record.atEpoch(), record.status(), record.requestJson(),
					record.specJson(), record.lrsJson(), record.detail(), record.createdAt(), record.appliedAt(),
					record.undoneAt());
		}

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
