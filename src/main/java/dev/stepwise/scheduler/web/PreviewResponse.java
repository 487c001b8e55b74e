package dev.stepwise.scheduler.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The states of a preview.
 *
 * @param states the state after registration, then after each step
 */
@Schema(name = "Preview", description = "The states after registration and after each step.")
record PreviewResponse(List<State> states) {

	/**
	 * One state of a preview.
	 *
	 * @param lastEpoch PyTorch's {@code last_epoch}
	 * @param paramGroups the param groups
	 * @param consumed the tokens or samples consumed so far, for a schedule in that unit
	 */
	@Schema(name = "PreviewState")
	record State(@JsonProperty("last_epoch") long lastEpoch,
			@JsonProperty("param_groups") List<ParamGroupBody> paramGroups,
			@Schema(description = StateResponse.UNITS_CONSUMED, example = "1572864",
					nullable = true) @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long consumed) {

	}

}
