package dev.stepwise.scheduler.web;

import java.net.URI;

import dev.stepwise.scheduler.AmendmentService;
import dev.stepwise.scheduler.InvalidRequestException;
import dev.stepwise.scheduler.IdScope;
import dev.stepwise.scheduler.Limits;
import dev.stepwise.scheduler.OutOfScopeException;
import dev.stepwise.scheduler.RegistrationResult;
import dev.stepwise.scheduler.SchedulerListQuery;
import dev.stepwise.scheduler.SchedulerService;
import dev.stepwise.scheduler.SchedulerSort;
import dev.stepwise.system.StepwiseMeters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Registration, reading, listing and deletion of schedulers.
 */
@RestController
@RequestMapping(path = ApiPaths.SCHEDULERS, produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Schedulers")
class SchedulerController {

	private final SchedulerService schedulers;

	private final StepwiseMeters meters;

	private final AmendmentService amendments;

	SchedulerController(SchedulerService schedulers, StepwiseMeters meters, AmendmentService amendments) {
		this.schedulers = schedulers;
		this.meters = meters;
		this.amendments = amendments;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Register a scheduler",
			description = "Validates the spec as PyTorch's (or Hugging Face's) constructor would on these param groups"
					+ " and stores the state after construction (last_epoch 0, or k after a fast-forward) as the first"
					+ " history record. Every rank of a job may register the same id: an identical body answers 200."
					+ " With attempt, the registration adopts that training attempt (see the description of attempt"
					+ " and of the API); an attempt the scheduler adopted before and that was superseded since is 409"
					+ " stale-attempt.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(
							examples = { @ExampleObject(name = "OneCycleLR", value = ApiDocs.REGISTER_ONE_CYCLE),
									@ExampleObject(name = "ReduceLROnPlateau", value = ApiDocs.REGISTER_PLATEAU),
									@ExampleObject(name = "HF cosine with warmup", value = ApiDocs.REGISTER_HF_COSINE),
									@ExampleObject(name = "Warmup then cosine (SequentialLR)",
											value = ApiDocs.REGISTER_SEQUENTIAL) })))
	@ApiResponse(responseCode = "201", description = "Registered; Location names the new scheduler.")
	@ApiResponse(responseCode = "200", description = "Already registered with an identical body.")
	@ProblemResponses({ ProblemType.MALFORMED_REQUEST, ProblemType.REGISTRATION_CONFLICT, ProblemType.STALE_ATTEMPT,
			ProblemType.STEP_REFUSED, ProblemType.PAYLOAD_TOO_LARGE, ProblemType.INVALID_ARGUMENT,
			ProblemType.MEMORY_LIMIT_EXCEEDED, ProblemType.SERVICE_UNAVAILABLE })
	ResponseEntity<SchedulerResponse> register(@Valid @RequestBody RegisterRequest request,
			@RequestAttribute(name = IdScope.ATTRIBUTE, required = false) @Nullable IdScope scope) {
		// before any lookup: an identical registration would otherwise read a scheduler
		// outside the scope
		if (scope != null) {
			OutOfScopeException.check(scope, request.id(), true);
		}
		RegistrationResult result = this.schedulers.register(request.toRegistration());
		// the engine took the spec: its type is one of the catalogue's
		this.meters.registered(String.valueOf(request.scheduler().get("type")), result.created());
		SchedulerResponse body = SchedulerResponse.of(result.scheduler());
		if (!result.created()) {
			return ResponseEntity.ok(body);
		}
		URI location = ServletUriComponentsBuilder.fromCurrentRequestUri()
			.path("/{id}")
			.buildAndExpand(body.id())
			.toUri();
		return ResponseEntity.created(location).body(body);
	}

	@GetMapping
	@Operation(summary = "List schedulers",
			description = "Paged, newest first unless sort says otherwise; with authentication on, only the"
					+ " schedulers the token's scope matches (total_items counts those). id_contains keeps the ids"
					+ " that contain it. Filtering, sorting and paging happen in the database. Each item has a"
					+ " summary (the current lr of each group, the latest metric, the schedule's length). The offset"
					+ " page x size must fit 32 bits (2147483647): a page beyond is 400 malformed-request naming page,"
					+ " as a page beyond 32 bits is.")
	@ApiResponse(responseCode = "200", description = "One page.")
	@ProblemResponses({ ProblemType.MALFORMED_REQUEST, ProblemType.INVALID_ARGUMENT })
	SchedulerListResponse list(
			@Parameter(description = "Page number, from 0.") @RequestParam(defaultValue = "0") @Min(0) int page,
			@Parameter(description = "Page size, 1 to " + Limits.MAX_PAGE_SIZE + ".") @RequestParam(
					defaultValue = "20") @Min(1) @Max(Limits.MAX_PAGE_SIZE) int size,
			@Parameter(description = "Only the ids that contain this (case-sensitive), at most " + Limits.MAX_ID_FILTER
					+ " characters.", example = "resnet50") @RequestParam(name = "id_contains",
							required = false) @Nullable String idContains,
			@Parameter(
					description = "The order: created_at (registration, the default), id, updated_at (the last"
							+ " change of the state) or last_epoch; ties in registration order.",
					schema = @Schema(allowableValues = { "created_at", "id", "updated_at", "last_epoch" },
							defaultValue = "created_at")) @RequestParam(required = false) @Nullable String sort,
			@Parameter(description = "asc or desc; default: asc for id, desc (newest, latest, furthest first)"
					+ " for the others.", schema = @Schema(allowableValues = { "asc", "desc" })) @RequestParam(
							required = false) @Nullable String direction,
			@RequestAttribute(name = IdScope.ATTRIBUTE,
					required = false) @Parameter(hidden = true) @Nullable IdScope scope) {
		// the database takes the offset as an int: a larger one would wrap around
		if ((long) page * size > Integer.MAX_VALUE) {
			throw InvalidRequestException.malformed("page", "must be at most " + (Integer.MAX_VALUE / size)
					+ " with size " + size + " (page x size is the offset," + " at most " + Integer.MAX_VALUE + ")");
		}
		if (idContains != null && idContains.length() > Limits.MAX_ID_FILTER) {
			throw InvalidRequestException.malformed("id_contains",
					"must be at most " + Limits.MAX_ID_FILTER + " characters, the longest id");
		}
		SchedulerSort order = (sort != null) ? SchedulerSort.of(sort) : SchedulerSort.CREATED_AT;
		SchedulerListQuery query = new SchedulerListQuery(page, size,
				(idContains != null && !idContains.isEmpty()) ? idContains : null, order, ascending(direction, order));
		return SchedulerListResponse.of(this.schedulers.list((scope != null) ? scope : IdScope.EVERYTHING, query));
	}

	private static boolean ascending(@Nullable String direction, SchedulerSort sort) {
		if (direction == null) {
			return sort.ascendingByDefault();
		}
		return switch (direction) {
			case "asc" -> true;
			case "desc" -> false;
			default -> throw InvalidRequestException.malformed("direction", "must be asc or desc");
		};
	}

	@GetMapping("/{id}")
	@Operation(summary = "Read a scheduler",
			description = "The state plus the normalised spec (every default filled in), the param groups as"
					+ " registered and the timestamps; the spec in force (scheduler_in_force) and the amendments.")
	@ApiResponse(responseCode = "200", description = "The scheduler.")
	@ProblemResponses({ ProblemType.SCHEDULER_NOT_FOUND })
	SchedulerResponse get(@PathVariable String id) {
		return SchedulerResponse.of(this.schedulers.get(id), this.amendments.amendments(id));
	}

	@DeleteMapping("/{id}")
	@Operation(summary = "Delete a scheduler", description = "Removes the scheduler and its whole history.")
	@ApiResponse(responseCode = "204", description = "Deleted.", content = @Content)
	@ProblemResponses({ ProblemType.SCHEDULER_NOT_FOUND })
	ResponseEntity<Void> delete(@PathVariable String id) {
		this.schedulers.delete(id);
		return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
	}

}
