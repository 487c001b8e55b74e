package dev.stepwise.scheduler.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.stepwise.scheduler.SchedulerPosition;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * Where a scheduler stands: the answer of {@code GET .../lr}, resume and state
 * replacement.
 *
 * @param id the scheduler id
 * @param lastEpoch PyTorch's {@code last_epoch}
 * @param paramGroups the param groups as stored, a JSON array written as is
 * @param consumed the tokens or samples consumed so far, for a schedule in that unit
 */
@Schema(name = "State", description = "Where a scheduler stands: the lr and momentum every rank must use now.")
record StateResponse(@Schema(example = "resnet50-run17") String id,
		@Schema(description = "step() calls since registration, as PyTorch's last_epoch (0 right after registration).",
				example = "12") @JsonProperty("last_epoch") long lastEpoch,
		@ArraySchema(schema = @Schema(implementation = ParamGroupBody.class),
				arraySchema = @Schema(description = "param_groups[i].lr is what optimizer.param_groups[i][\"lr\"] holds"
						+ " at this point in PyTorch; momentum is the cycled momentum (CyclicLR, OneCycleLR with"
						+ " cycle_momentum), else the registered one, or null.")) @JsonProperty("param_groups") @JsonRawValue String paramGroups,
		@Schema(description = UNITS_CONSUMED, example = "1572864",
				nullable = true) @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long consumed) {

	/** The description of {@code consumed} wherever a position is answered. */
	static final String UNITS_CONSUMED = "Only for a schedule in tokens or samples: how many the steps consumed so"
			+ " far, the position its lr is evaluated at.";

	static StateResponse of(SchedulerPosition position) {
		return new StateResponse(position.id(), position.lastEpoch(), position.paramGroupsJson(), position.consumed());
	}

}
