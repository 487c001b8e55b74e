package dev.stepwise.scheduler.web;

import java.util.Map;

import dev.stepwise.scheduler.CurrentPosition;
import dev.stepwise.scheduler.InvalidRequestException;
import dev.stepwise.scheduler.Limits;
import dev.stepwise.scheduler.SchedulerService;
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
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The calls a training job makes on its scheduler: a step per optimizer step, the lr
 * every rank must use, and the history, resume and state documents of checkpoints.
 */
@RestController
@RequestMapping(path = ApiPaths.SCHEDULER, produces = MediaType.APPLICATION_JSON_VALUE)
class TrainingController {

	/** Records of a slice of the history when the request names no limit. */
	private static final int DEFAULT_LIMIT = 1000;

	private final SchedulerService schedulers;

	private final StepwiseMeters meters;

	TrainingController(SchedulerService schedulers, StepwiseMeters meters) {
		this.schedulers = schedulers;
		this.meters = meters;
	}

	@PostMapping("/steps")
	@Tag(name = "Steps")
	@Operation(summary = "Step a scheduler",
			description = "One scheduler.step() (scheduler.step(metric) for ReduceLROnPlateau). Idempotent by epoch:"
					+ " posting an epoch again (a retry, another rank) answers the recorded state with replayed: true."
					+ " Concurrent posts for one scheduler are serialised, so each epoch is taken exactly once. The new"
					+ " state and the history record are written in one transaction before the answer. A step PyTorch"
					+ " refuses (OneCycleLR past total_steps) is 409 step-refused. With attempt: a step of any other"
					+ " attempt than the current one is 409 stale-attempt; the first step after the attempt's"
					+ " adoption starts it from the schedule's start. count takes several steps in one request"
					+ " (atomically, one history record each); a schedule in tokens or samples needs consumed.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content = @Content(
					schema = @Schema(implementation = StepRequest.class),
					examples = { @ExampleObject(name = "Next epoch with a metric", value = ApiDocs.STEP_NEXT),
							@ExampleObject(name = "NaN metric (Python json.dumps)", value = ApiDocs.STEP_NAN),
							@ExampleObject(name = "Fractional epoch (CosineAnnealingWarmRestarts)",
									value = ApiDocs.STEP_FRACTIONAL),
							@ExampleObject(name = "Just step", value = ApiDocs.STEP_IMPLICIT),
							@ExampleObject(name = "Four steps at once (gradient accumulation, Accelerate)",
									value = ApiDocs.STEP_COUNT),
							@ExampleObject(name = "A step of a schedule in tokens", value = ApiDocs.STEP_TOKENS) })))
	@ApiResponse(responseCode = "200",
			description = "Stepped (replayed: false) or answered from the history (replayed: true).")
	@ProblemResponses({ ProblemType.MALFORMED_REQUEST, ProblemType.METRIC_REQUIRED, ProblemType.SCHEDULER_NOT_FOUND,
			ProblemType.EPOCH_CONFLICT, ProblemType.STALE_ATTEMPT, ProblemType.STEP_REFUSED,
			ProblemType.INVALID_ARGUMENT, ProblemType.REQUEST_TIMEOUT, ProblemType.SERVICE_UNAVAILABLE })
	StepResponse step(@PathVariable String id, @Valid @RequestBody(required = false) @Nullable StepRequest request) {
		StepRequest body = (request != null) ? request : StepRequest.EMPTY;
		return StepResponse.of(this.schedulers.step(id, body.toCommand()));
	}

	@GetMapping("/lr")
	@Tag(name = "Steps")
	@Operation(summary = "Read the current lr",
			description = "The state every rank must apply now. The ETag changes with every step; send it back in"
					+ " If-None-Match to get 304 while nothing changed. From the adoption of a new attempt until it"
					+ " starts, the schedule's start.")
	@ApiResponse(responseCode = "200", description = "The current state.")
	@ApiResponse(responseCode = "304", description = "Not modified since the ETag sent.", content = @Content)
	@ProblemResponses({ ProblemType.SCHEDULER_NOT_FOUND })
	ResponseEntity<StateResponse> lr(@PathVariable String id,
			@RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable String ifNoneMatch) {
		CurrentPosition current = this.schedulers.current(id);
		String etag = ETags.of(current);
		boolean notModified = ETags.matches(ifNoneMatch, etag);
		this.meters.lrRead(notModified);
		if (notModified) {
			return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
		}
		return ResponseEntity.ok()
			.eTag(etag)
			.cacheControl(CacheControl.noCache())
			.body(StateResponse.of(current.position()));
	}

	@GetMapping("/history")
	@Tag(name = "Checkpoints")
	@Operation(summary = "Read the history",
			description = "The recorded states from from_epoch to to_epoch (inclusive) in epoch order, at most limit"
					+ " of them; next_from_epoch continues. The registration is the first record (epoch 0, or k"
					+ " after a fast-forward). With points instead of limit, the whole range in one answer for a"
					+ " chart: all of its records when it holds at most points, else at most points of them chosen"
					+ " to keep the curves' shape (M4: the range of epochs is cut into points / 6 buckets of equal"
					+ " width, and each keeps its first and last record, those of its lowest and highest lr of the"
					+ " first param group, and those of its lowest and highest metric); downsampled says which, and"
					+ " total_records counts the range. points and limit together are 400.")
	@ApiResponse(responseCode = "200", description = "A slice of the history, or the downsampled range.")
	@ProblemResponses({ ProblemType.MALFORMED_REQUEST, ProblemType.SCHEDULER_NOT_FOUND, ProblemType.INVALID_ARGUMENT,
			ProblemType.SERVICE_UNAVAILABLE })
	HistoryResponse history(@PathVariable String id,
			@Parameter(description = "First epoch (inclusive); default: the first record.") @RequestParam(
					name = "from_epoch", required = false) @Nullable Double fromEpoch,
			@Parameter(description = "Last epoch (inclusive); default: the last record.") @RequestParam(
					name = "to_epoch", required = false) @Nullable Double toEpoch,
			@Parameter(
					description = "At most this many records, 1 to " + Limits.MAX_HISTORY_LIMIT
							+ "; default 1000. Not with points.",
					schema = @Schema(type = "integer", format = "int32", defaultValue = "1000")) @RequestParam(
							required = false) @Min(1) @Max(Limits.MAX_HISTORY_LIMIT) @Nullable Integer limit,
			@Parameter(
					description = "Downsample the range to at most this many records, 2 to " + Limits.MAX_HISTORY_POINTS
							+ " (about the chart's width in pixels times 6). Not with limit.",
					example = "1000") @RequestParam(
							required = false) @Min(2) @Max(Limits.MAX_HISTORY_POINTS) @Nullable Integer points) {
		double from = bound("from_epoch", fromEpoch, Double.NEGATIVE_INFINITY);
		double to = bound("to_epoch", toEpoch, Double.POSITIVE_INFINITY);
		if (points == null) {
			return HistoryResponse.of(this.schedulers.history(id, from, to, (limit != null) ? limit : DEFAULT_LIMIT));
		}
		if (limit != null) {
			throw InvalidRequestException.malformed("points",
					"cannot be combined with limit: points answers the whole range, downsampled; limit pages"
							+ " through it");
		}
		return HistoryResponse.of(this.schedulers.downsampledHistory(id, from, to, points));
	}

	/** A bound of the history, refused when NaN (it would select nothing, silently). */
	private static double bound(String name, @Nullable Double value, double open) {
		if (value == null) {
			return open;
		}
		if (Double.isNaN(value)) {
			throw new InvalidRequestException(name, "must be a number, not NaN");
		}
		return value;
	}

	@PostMapping(path = "/resume", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Tag(name = "Checkpoints")
	@Operation(summary = "Resume from a checkpoint",
			description = "The trainer restarted from a checkpoint taken after epoch last_epoch: the scheduler returns"
					+ " to exactly the state recorded at the end of that epoch (ReduceLROnPlateau's best, bad-epoch and"
					+ " cooldown counters included) and the later history is discarded. With attempt: any other attempt"
					+ " than the current one is 409 stale-attempt; until the attempt has started, any recorded epoch"
					+ " may be resumed (the superseded attempts' history is kept until then) and the resume starts it;"
					+ " once the attempt restored an epoch (resume or state PUT), resuming that epoch again answers its"
					+ " recorded state and changes nothing, so every rank may resume from the same checkpoint after"
					+ " another rank stepped on.")
	@ApiResponse(responseCode = "200", description = "The state at that epoch, now current.")
	@ProblemResponses({ ProblemType.MALFORMED_REQUEST, ProblemType.SCHEDULER_NOT_FOUND, ProblemType.EPOCH_CONFLICT,
			ProblemType.STALE_ATTEMPT, ProblemType.INVALID_ARGUMENT })
	StateResponse resume(@PathVariable String id, @Valid @RequestBody ResumeRequest request) {
		StateResponse resumed = StateResponse.of(this.schedulers.resume(id, request.lastEpoch(), request.attempt()));
		this.meters.resumed();
		return resumed;
	}

	@GetMapping("/attempts")
	@Tag(name = "Checkpoints")
	@Operation(summary = "List the training attempts",
			description = "Every attempt a registration adopted, in the order of adoption: the current one, how each"
					+ " started (step: from the schedule's start, without a checkpoint; resume or state: from a"
					+ " checkpoint) and from which epoch, the epoch it last restored, when it was superseded; and the"
					+ " latest resumes and state PUTs (restores), each an epoch where the history was cut, for"
					+ " markers on a chart.")
	@ApiResponse(responseCode = "200", description = "The attempts.")
	@ProblemResponses({ ProblemType.SCHEDULER_NOT_FOUND })
	AttemptsResponse attempts(@PathVariable String id) {
		return AttemptsResponse.of(this.schedulers.attempts(id), this.schedulers.restores(id));
	}

	@GetMapping("/state")
	@Tag(name = "Checkpoints")
	@Operation(summary = "Export the state dict",
			description = "The full internal state, named like PyTorch's state_dict() keys (last_epoch, _step_count,"
					+ " base_lrs, _last_lr and per type best, num_bad_epochs, cooldown_counter, T_cur, _schedulers, ...)"
					+ " plus param_groups (the optimizer side). Non-finite numbers are the strings \"NaN\","
					+ " \"Infinity\", \"-Infinity\". Store it in a checkpoint; PUT it back to restore.")
	@ApiResponse(responseCode = "200", description = "The state document.",
			content = @Content(schema = @Schema(type = "object", additionalPropertiesSchema = Object.class)))
	@ProblemResponses({ ProblemType.SCHEDULER_NOT_FOUND })
	String state(@PathVariable String id) {
		return this.schedulers.stateDocument(id);
	}

	@PutMapping(path = "/state", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Tag(name = "Checkpoints")
	@Operation(summary = "Restore the state dict",
			description = "Replaces the whole state, the param groups' lr and momentum included, as if the scheduler"
					+ " had reached it by stepping (disaster recovery, migration). The history is cut at the document's"
					+ " last_epoch, where the new state is recorded (without a metric). A document restores a position,"
					+ " it does not change the schedule: hyperparameter keys it holds (the spec's arguments such as"
					+ " step_size, gamma, T_max, milestones, lr_lambda; ReduceLROnPlateau's min_lrs and mode_worse;"
					+ " SequentialLR's _milestones; nested children's too) must equal the registered ones by value (1"
					+ " and 1.0 are equal, an absent key is no difference), or the 422 names every differing key."
					+ " base_lrs, _last_lr and the param groups are position and may be set. Every value must be one"
					+ " stepping could reach: finite numbers, lr >= 0, counters (last_epoch, _step_count,"
					+ " num_bad_epochs, cooldown_counter, T_i) and T_cur at most 2^53, best not NaN; else 422"
					+ " invalid-state naming the field path (state.last_epoch, state._schedulers[1].T_cur, ...). With"
					+ " ?attempt=: any other attempt than the current one is 409 stale-attempt; the document starts"
					+ " the attempt if it had not started; once the attempt restored an epoch (resume or state PUT), a"
					+ " document of that epoch holding the state recorded for it answers that state and changes"
					+ " nothing.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(schema = @Schema(type = "object", additionalPropertiesSchema = Object.class))))
	@ApiResponse(responseCode = "200", description = "The restored state.")
	@ProblemResponses({ ProblemType.MALFORMED_REQUEST, ProblemType.SCHEDULER_NOT_FOUND, ProblemType.STALE_ATTEMPT,
			ProblemType.INVALID_ARGUMENT, ProblemType.INVALID_STATE, ProblemType.MEMORY_LIMIT_EXCEEDED,
			ProblemType.SERVICE_UNAVAILABLE })
	StateResponse replaceState(@PathVariable String id, @RequestBody Map<String, Object> document,
			@Parameter(description = "The training attempt (as in the other requests); absent: not checked.",
					example = "resnet50-run17-job42/1") @RequestParam(name = "attempt",
							required = false) @Pattern(regexp = Limits.ATTEMPT_PATTERN) @Nullable String attempt) {
		StateResponse restored = StateResponse
			.of(this.schedulers.replaceState(id, SpecJson.stateDocument(document), attempt));
		this.meters.statePut();
		return restored;
	}

}
