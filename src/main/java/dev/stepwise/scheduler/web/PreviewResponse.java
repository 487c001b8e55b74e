package dev.stepwise.scheduler.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

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
	 */
	@Schema(name = "PreviewState")
	record State(@JsonProperty("last_epoch") long lastEpoch,
			@JsonProperty("param_groups") List<ParamGroupBody> paramGroups) {

	}

}
