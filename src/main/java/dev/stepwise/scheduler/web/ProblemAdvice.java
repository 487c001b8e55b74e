package dev.stepwise.scheduler.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.stepwise.schedule.FieldError;
import dev.stepwise.schedule.InvalidScheduleException;
import dev.stepwise.schedule.InvalidStateException;
import dev.stepwise.schedule.StepException;
import dev.stepwise.scheduler.ComputeBusyException;
import dev.stepwise.scheduler.ComputeTooLargeException;
import dev.stepwise.scheduler.AmendmentConflictException;
import dev.stepwise.scheduler.EpochConflictException;
import dev.stepwise.scheduler.InvalidRequestException;
import dev.stepwise.scheduler.OutOfScopeException;
import dev.stepwise.scheduler.RegistrationConflictException;
import dev.stepwise.scheduler.SchedulerNotFoundException;
import dev.stepwise.scheduler.StaleAttemptException;
import dev.stepwise.scheduler.StepUnconfirmedException;
import dev.stepwise.scheduler.web.RequestSizeFilter.PayloadTooLargeException;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.catalina.connector.ClientAbortException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place that turns failures into RFC 9457 problem responses: a stable
 * {@code type} per kind of error, {@code errors[]} naming the fields of argument
 * problems, and never a stack trace, class name or SQL.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

	private static final Log log = LogFactory.getLog(ProblemAdvice.class);

	@ExceptionHandler
	ResponseEntity<Object> invalidSchedule(InvalidScheduleException ex, NativeWebRequest request) {
		ProblemType type = (ex.kind() == InvalidScheduleException.Kind.MALFORMED) ? ProblemType.MALFORMED_REQUEST
				: ProblemType.INVALID_ARGUMENT;
		return problem(type, "The scheduler spec is not valid: " + ex.getMessage(), ex.errors(), request);
	}

	@ExceptionHandler
	ResponseEntity<Object> invalidState(InvalidStateException ex, NativeWebRequest request) {
		return problem(ProblemType.INVALID_STATE, "The state document does not fit this scheduler: " + ex.getMessage(),
				ex.errors(), request);
	}

	@ExceptionHandler
	ResponseEntity<Object> invalidRequest(InvalidRequestException ex, NativeWebRequest request) {
		return problem(ex.malformed() ? ProblemType.MALFORMED_REQUEST : ProblemType.INVALID_ARGUMENT, ex.getMessage(),
				ex.errors(), request);
	}

	@ExceptionHandler
	ResponseEntity<Object> stepRefused(StepException ex, NativeWebRequest request) {
		return switch (ex.reason()) {
			case METRIC_REQUIRED -> problem(ProblemType.METRIC_REQUIRED, ex.getMessage(),
					List.of(new FieldError("metric", "is required by this scheduler")), request);
			case FRACTIONAL_EPOCH_UNSUPPORTED -> problem(ProblemType.INVALID_ARGUMENT, ex.getMessage(),
					List.of(new FieldError("epoch", "must be an integer for this scheduler")), request);
			case REFUSED -> problem(ProblemType.STEP_REFUSED, ex.getMessage(), List.of(), request);
		};
	}

	@ExceptionHandler
	ResponseEntity<Object> notFound(SchedulerNotFoundException ex, NativeWebRequest request) {
		return problem(ProblemType.SCHEDULER_NOT_FOUND, ex.getMessage(), List.of(), request);
	}

	@ExceptionHandler
	ResponseEntity<Object> outOfScope(OutOfScopeException ex, NativeWebRequest request) {
		ResponseEntity<Object> response = problem(ProblemType.FORBIDDEN, ex.getMessage(), List.of(), request);
		return ResponseEntity.status(response.getStatusCode())
			.headers(response.getHeaders())
			.header(HttpHeaders.WWW_AUTHENTICATE, SecurityProblems.INSUFFICIENT_SCOPE)
			.body(response.getBody());
	}

	@ExceptionHandler
	ResponseEntity<Object> epochConflict(EpochConflictException ex, NativeWebRequest request) {
		ResponseEntity<Object> response = problem(ProblemType.EPOCH_CONFLICT, ex.getMessage(), List.of(), request);
		ProblemDetail problem = (ProblemDetail) response.getBody();
		if (problem != null) {
			problem.setProperty("last_epoch", ex.lastEpoch());
			if (ex.expectedEpoch() != null) {
				problem.setProperty("expected_epoch", ex.expectedEpoch());
			}
		}
		return response;
	}

	@ExceptionHandler
	ResponseEntity<Object> amendmentConflict(AmendmentConflictException ex, NativeWebRequest request) {
		ResponseEntity<Object> response = problem(ProblemType.AMENDMENT_CONFLICT, ex.getMessage(),
				List.of(new FieldError(ex.field(), ex.getMessage())), request);
		ProblemDetail problem = (ProblemDetail) response.getBody();
		if (problem != null) {
			problem.setProperty("last_epoch", ex.lastEpoch());
		}
		return response;
	}

	@ExceptionHandler
	ResponseEntity<Object> staleAttempt(StaleAttemptException ex, NativeWebRequest request) {
		ResponseEntity<Object> response = problem(ProblemType.STALE_ATTEMPT, ex.getMessage(), List.of(), request);
		ProblemDetail problem = (ProblemDetail) response.getBody();
		if (problem != null) {
			problem.setProperty("attempt", ex.currentAttempt());
		}
		return response;
	}

	@ExceptionHandler
	ResponseEntity<Object> registrationConflict(RegistrationConflictException ex, NativeWebRequest request) {
		return problem(ProblemType.REGISTRATION_CONFLICT, ex.getMessage(), List.of(), request);
	}

	@ExceptionHandler({ ConcurrencyFailureException.class, TransientDataAccessException.class,
			DataAccessResourceFailureException.class, CannotCreateTransactionException.class })
	ResponseEntity<Object> unavailable(Exception ex, NativeWebRequest request) {
		log.warn("Database busy or unreachable: " + ex.getClass().getSimpleName());
		return unavailable("The database is busy or unreachable; retry shortly.", 1, request);
	}

	@ExceptionHandler
	ResponseEntity<Object> computeBusy(ComputeBusyException ex, NativeWebRequest request) {
		return unavailable(ex.getMessage(), Math.max(1, (ex.retryAfter().toMillis() + 999) / 1000), request);
	}

	@ExceptionHandler
	ResponseEntity<Object> computeTooLarge(ComputeTooLargeException ex, NativeWebRequest request) {
		ResponseEntity<Object> response = problem(ProblemType.MEMORY_LIMIT_EXCEEDED, ex.getMessage(), List.of(),
				request);
		if (response.getBody() instanceof ProblemDetail problem) {
			tooLarge(problem, ex);
		}
		return response;
	}

	/** Names the estimate and the limit of a refusal for memory. */
	static ProblemDetail tooLarge(ProblemDetail problem, ComputeTooLargeException ex) {
		problem.setProperty("estimate_bytes", ex.estimate());
		problem.setProperty("limit_bytes", ex.limit());
		return problem;
	}

	@ExceptionHandler
	ResponseEntity<Object> stepUnconfirmed(StepUnconfirmedException ex, NativeWebRequest request) {
		log.warn("Step not confirmed: " + ex.getMessage());
		return unavailable(ex.getMessage(), 1, request);
	}

	/** A 503 problem with {@code Retry-After}. */
	private ResponseEntity<Object> unavailable(@Nullable String detail, long retryAfterSeconds,
			NativeWebRequest request) {
		ResponseEntity<Object> response = problem(ProblemType.SERVICE_UNAVAILABLE, detail, List.of(), request);
		return ResponseEntity.status(response.getStatusCode())
			.headers(response.getHeaders())
			.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
			.body(response.getBody());
	}

	@ExceptionHandler
	ResponseEntity<Object> unexpected(Exception ex, NativeWebRequest request) {
		log.error("Unexpected failure", ex);
		return problem(ProblemType.INTERNAL_ERROR, "The service failed to answer this request.", List.of(), request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		PayloadTooLargeException tooLarge = cause(ex, PayloadTooLargeException.class);
		if (tooLarge != null) {
			ProblemDetail problem = RequestSizeFilter.problem(tooLarge.maxBytes());
			return respond(problem, request);
		}
		JacksonException json = cause(ex, JacksonException.class);
		if (json != null) {
			return problem(ProblemType.MALFORMED_REQUEST, JsonReadErrors.detail(json), JsonReadErrors.errors(json),
					request);
		}
		return problem(ProblemType.MALFORMED_REQUEST, "A JSON request body is required.", List.of(), request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldError> errors = new ArrayList<>();
		boolean missing = false;
		for (org.springframework.validation.FieldError error : ex.getBindingResult().getFieldErrors()) {
			boolean required = "NotNull".equals(error.getCode());
			missing |= required;
			errors.add(new FieldError(snakeCase(error.getField()),
					required ? "is required" : String.valueOf(error.getDefaultMessage())));
		}
		ProblemType type = missing ? ProblemType.MALFORMED_REQUEST : ProblemType.INVALID_ARGUMENT;
		return problem(type, missing ? "A required field is missing." : "An argument has an invalid value.", errors,
				request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldError> errors = new ArrayList<>();
		ex.getParameterValidationResults()
			.forEach((result) -> result.getResolvableErrors()
				.forEach((error) -> errors.add(new FieldError(snakeCase(result.getMethodParameter().getParameterName()),
						String.valueOf(error.getDefaultMessage())))));
		return problem(ProblemType.INVALID_ARGUMENT, "A parameter has an invalid value.", errors, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = snakeCase(ex.getPropertyName());
		return problem(ProblemType.MALFORMED_REQUEST, "Parameter " + name + " has the wrong type.",
				List.of(new FieldError(name, "has the wrong type")), request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMissingServletRequestParameter(
			MissingServletRequestParameterException ex, HttpHeaders headers, HttpStatusCode status,
			WebRequest request) {
		return problem(ProblemType.MALFORMED_REQUEST, "Parameter " + ex.getParameterName() + " is required.",
				List.of(new FieldError(ex.getParameterName(), "is required")), request);
	}

	/**
	 * Every other framework problem (404, 405, 406, 415, ...) gets the type of its
	 * status.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
			HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
		if (clientGone(ex)) {
			// nobody to answer, and no failure of ours: a stack trace per hang-up would
			// let
			// a client flood the log
			log.debug("The client went away before its answer was written: " + ex.getMessage());
			return null;
		}
		ProblemDetail problem = (body instanceof ProblemDetail detail) ? detail : ProblemDetail.forStatus(statusCode);
		if (problem.getDetail() == null && !statusCode.is5xxServerError()) {
			problem.setDetail(ex.getMessage());
		}
		if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
			ProblemType type = ProblemType.forStatus(statusCode.value());
			problem.setType(type.uri());
			problem.setTitle(type.title());
		}
		if (statusCode.is5xxServerError()) {
			log.error("Failure in the web layer", ex);
			problem.setDetail("The service failed to answer this request.");
		}
		ResponseEntity<Object> response = respond(problem, request);
		return ResponseEntity.status(statusCode)
			.headers(headers)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(response.getBody());
	}

	private ResponseEntity<Object> problem(ProblemType type, @Nullable String detail, List<FieldError> errors,
			WebRequest request) {
		ProblemDetail problem = type.problem(type.status().value(), detail);
		if (!errors.isEmpty()) {
			problem.setProperty("errors",
					errors.stream().map((e) -> Map.of("field", e.field(), "message", e.message())).toList());
		}
		return respond(problem, request);
	}

	private ResponseEntity<Object> respond(ProblemDetail problem, WebRequest request) {
		if (problem.getInstance() == null && request instanceof NativeWebRequest nativeRequest) {
			HttpServletRequest servletRequest = nativeRequest.getNativeRequest(HttpServletRequest.class);
			if (servletRequest != null) {
				problem.setInstance(instance(servletRequest.getRequestURI()));
			}
		}
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	static @Nullable URI instance(String path) {
		try {
			return new URI(path);
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

	/** {@code paramGroups[0].lr} as the JSON names it: {@code param_groups[0].lr}. */
	static String snakeCase(@Nullable String javaPath) {
		return (javaPath != null) ? javaPath.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase() : "";
	}

	/** Whether writing the answer failed because the client closed its connection. */
	static boolean clientGone(Throwable ex) {
		return cause(ex, AsyncRequestNotUsableException.class) != null || cause(ex, ClientAbortException.class) != null;
	}

	private static <T extends Throwable> @Nullable T cause(Throwable ex, Class<T> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

}
