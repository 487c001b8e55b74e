package dev.stepwise.scheduler.web;

import dev.stepwise.schedule.ParamGroup;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

/**
 * One optimizer param group: {@code optimizer.param_groups[i]["lr"]} and its momentum (or
 * Adam's beta1).
 *
 * @param lr the learning rate
 * @param momentum the momentum, or {@code null} when the optimizer has none
 */
@Schema(name = "ParamGroup", description = "One optimizer param group.")
record ParamGroupBody(
		@Schema(description = "optimizer.param_groups[i][\"lr\"]; >= 0, finite.", example = "0.1",
				requiredMode = Schema.RequiredMode.REQUIRED) @NotNull @DecimalMin("0") @Finite Double lr,
		@Schema(description = "The group's momentum (SGD) or beta1 (Adam); null when none. CyclicLR and OneCycleLR"
				+ " cycle it (cycle_momentum, default true) and then require it.", example = "0.9",
				nullable = true) @Finite @Nullable Double momentum) {

	ParamGroup toParamGroup() {
		return new ParamGroup(this.lr, this.momentum);
	}

	static ParamGroupBody of(ParamGroup group) {
		return new ParamGroupBody(group.lr(), group.momentum());
	}

}
