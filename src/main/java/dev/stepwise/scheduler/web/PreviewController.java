package dev.stepwise.scheduler.web;

import dev.stepwise.scheduler.PreviewService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Computes a schedule without registering it.
 */
@RestController
@Tag(name = "Previews")
class PreviewController {

	private final PreviewService previews;

	PreviewController(PreviewService previews) {
		this.previews = previews;
	}

	@PostMapping(path = "/api/v1/previews", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Preview a schedule",
			description = "The states after registration and after each of steps steps, computed and not stored."
					+ " Same validation and errors as a registration; a step PyTorch refuses is 409 step-refused.")
	@ApiResponse(responseCode = "200", description = "steps + 1 states.")
	@ProblemResponses({ ProblemType.MALFORMED_REQUEST, ProblemType.METRIC_REQUIRED, ProblemType.STEP_REFUSED,
			ProblemType.PAYLOAD_TOO_LARGE, ProblemType.INVALID_ARGUMENT })
	PreviewResponse preview(@Valid @RequestBody PreviewRequest request) {
		return PreviewResponse.of(this.previews.preview(request.toCommand()));
	}

}
