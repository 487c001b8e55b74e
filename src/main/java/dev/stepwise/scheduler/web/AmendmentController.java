package dev.stepwise.scheduler.web;

import dev.stepwise.scheduler.AmendmentResult;
import dev.stepwise.scheduler.AmendmentService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Amendments: a schedule changed mid-run, anchored to an epoch.
 */
@RestController
@RequestMapping(path = ApiPaths.SCHEDULER, produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Amendments")
class AmendmentController {

	private final AmendmentService amendments;

	AmendmentController(AmendmentService amendments) {
		this.amendments = amendments;
	}

	@PostMapping(path = "/amendments", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Amend the schedule from an epoch on",
			description = "Changes the rest of the run from at_epoch (default: the current last_epoch, applied at"
					+ " once): a new scheduler spec, extend (the type's length argument and a new total) or decay_now"
					+ " (a decay from the lr in force). See Amendments in the API description for the formulas. Every"
					+ " rank may post the same amendment_id: the first records it (201), the others get the recorded"
					+ " one (200). An amendment at a later epoch is pending, and the step that reaches its epoch"
					+ " applies it (every rank then reads the amended lr from that step on). The answer is the"
					+ " scheduler with scheduler_in_force and its amendments.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(examples = { @ExampleObject(name = "Extend a OneCycleLR",
							value = "{\"amendment_id\": \"extend-to-15k\", \"extend\": {\"total_steps\": 15000}}"),
							@ExampleObject(name = "Decay now (WSD)",
									value = "{\"amendment_id\": \"decay-at-40k\", \"at_epoch\": 40000, \"decay_now\":"
											+ " {\"decay_steps\": 4000, \"decay_type\": \"1-sqrt\", \"min_lr_ratio\": 0.0}}"),
							@ExampleObject(name = "A new schedule",
									value = "{\"amendment_id\": \"cosine-rest\", \"scheduler\": {\"type\":"
											+ " \"CosineAnnealingLR\", \"T_max\": 5000}}") })))
	@ApiResponse(responseCode = "201", description = "Recorded (and applied, when at_epoch is the current epoch).")
	@ApiResponse(responseCode = "200", description = "Posted before with the same body: the recorded amendment.")
	@ProblemResponses({ ProblemType.MALFORMED_REQUEST, ProblemType.SCHEDULER_NOT_FOUND, ProblemType.AMENDMENT_CONFLICT,
			ProblemType.INVALID_ARGUMENT, ProblemType.PAYLOAD_TOO_LARGE, ProblemType.SERVICE_UNAVAILABLE })
	ResponseEntity<SchedulerResponse> amend(@PathVariable String id, @Valid @RequestBody AmendmentRequest request) {
		AmendmentResult result = this.amendments.amend(id, request.toCommand());
		SchedulerResponse body = SchedulerResponse.of(result.scheduler(), this.amendments.amendments(id));
		return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK).body(body);
	}

}
