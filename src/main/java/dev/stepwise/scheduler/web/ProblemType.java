package dev.stepwise.scheduler.web;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * The stable problem types of the API, the one list of them: each with its status, its
 * title and what it means. The problem advice answers with them, and the OpenAPI document
 * lists them per operation ({@link ProblemResponses}) and in the {@code Problem} schema.
 */
public enum ProblemType {

	MALFORMED_REQUEST("malformed-request", HttpStatus.BAD_REQUEST, "Malformed request",
			"malformed JSON, a wrong JSON type, a missing or unknown field, an unknown scheduler type or argument"
					+ " (PyTorch's TypeError)"),

	METRIC_REQUIRED("metric-required", HttpStatus.BAD_REQUEST, "Metric required",
			"a step of a scheduler that needs a metric came without one"),

	INVALID_ARGUMENT("invalid-argument", HttpStatus.UNPROCESSABLE_CONTENT, "Invalid argument",
			"a well-formed value PyTorch refuses (its ValueError) or that exceeds a limit"),

	INVALID_STATE("invalid-state", HttpStatus.UNPROCESSABLE_CONTENT, "Invalid state document",
			"a state document that does not fit the scheduler"),

	MEMORY_LIMIT_EXCEEDED("memory-limit-exceeded", HttpStatus.UNPROCESSABLE_CONTENT, "Memory limit exceeded",
			"the memory the request would hold while it is read and computed (estimate_bytes) exceeds"
					+ " stepwise.compute.memory-budget (limit_bytes), so it could never be admitted"),

	UNAUTHORIZED("unauthorized", HttpStatus.UNAUTHORIZED, "Unauthorized",
			"authentication is on and the request has no bearer token, or one that is unknown, expired or revoked"
					+ " (WWW-Authenticate: Bearer names which, RFC 6750)"),

	FORBIDDEN("forbidden", HttpStatus.FORBIDDEN, "Forbidden",
			"the token does not permit this request: a scheduler id outside its scope, a change with read access,"
					+ " token management without the admin token"),

	SCHEDULER_NOT_FOUND("scheduler-not-found", HttpStatus.NOT_FOUND, "Scheduler not found", "no scheduler has this id"),

	NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "Not found", "no such resource"),

	EPOCH_CONFLICT("epoch-conflict", HttpStatus.CONFLICT, "Epoch conflict",
			"a gap (expected_epoch names the next epoch), a different metric for a recorded epoch, an epoch no longer"
					+ " recorded; last_epoch is the scheduler's"),

	REGISTRATION_CONFLICT("registration-conflict", HttpStatus.CONFLICT, "Registration conflict",
			"the id is registered with a different body"),

	STALE_ATTEMPT("stale-attempt", HttpStatus.CONFLICT, "Stale attempt",
			"a training attempt that is not the scheduler's current one (superseded by a registration with a later"
					+ " attempt, or never registered) may not register, step, resume or restore it; attempt is the"
					+ " current one"),

	AMENDMENT_CONFLICT("amendment-conflict", HttpStatus.CONFLICT, "Amendment conflict",
			"an amendment at an epoch the scheduler has passed (a rank may have stepped past it), an amendment_id"
					+ " posted before with another body, or another amendment pending; errors names the field,"
					+ " last_epoch is the scheduler's"),

	STEP_REFUSED("step-refused", HttpStatus.CONFLICT, "Step refused",
			"PyTorch raises in this step, e.g. OneCycleLR past total_steps"),

	PAYLOAD_TOO_LARGE("payload-too-large", HttpStatus.CONTENT_TOO_LARGE, "Payload too large",
			"the request body exceeds stepwise.max-request-size (1 MiB by default)"),

	REQUEST_TIMEOUT("request-timeout", HttpStatus.REQUEST_TIMEOUT, "Request timeout",
			"the request body did not arrive within stepwise.request-body-timeout (10 s by default); the connection"
					+ " is closed"),

	METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed",
			"the resource does not support the HTTP method"),

	NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable",
			"none of the accepted media types can be produced"),

	UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
			"the request body is not JSON"),

	RATE_LIMITED("rate-limited", HttpStatus.TOO_MANY_REQUESTS, "Rate limited",
			"this client (its bearer token, or its address) sent more than stepwise.rate-limit.requests-per-second"
					+ " (limit) beyond a burst of stepwise.rate-limit.burst; retry after Retry-After (retry_after)"
					+ " seconds, nothing was done"),

	SERVICE_UNAVAILABLE("service-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
			"the database is busy or unreachable, every computation slot or the memory budget is taken, or a"
					+ " step's commit was not confirmed in time; retry after Retry-After seconds (a step with the same epoch)"),

	INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "a fault of the service");

	/** The prefix of every problem type URI. */
	static final String BASE = "https://stepwise.dev/problems/";

	private final String slug;

	private final URI uri;

	private final HttpStatus status;

	private final String title;

	private final String meaning;

	ProblemType(String slug, HttpStatus status, String title, String meaning) {
		this.slug = slug;
		this.uri = URI.create(BASE + slug);
		this.status = status;
		this.title = title;
		this.meaning = meaning;
	}

	String slug() {
		return this.slug;
	}

	URI uri() {
		return this.uri;
	}

	HttpStatus status() {
		return this.status;
	}

	String title() {
		return this.title;
	}

	/** When the API answers it, in a few words. */
	String meaning() {
		return this.meaning;
	}

	/**
	 * A problem of this type, answered with {@code status} (the type's own, or the one
	 * the framework or the server chose).
	 */
	ProblemDetail problem(int status, @Nullable String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
		problem.setType(this.uri);
		problem.setTitle(this.title);
		return problem;
	}

	/** A problem of this type, with its own status. */
	ProblemDetail problem(@Nullable String detail) {
		return problem(this.status.value(), detail);
	}

	/** The type of a problem the framework raised with {@code status}. */
	static ProblemType forStatus(int status) {
		for (ProblemType type : values()) {
			if (type.status.value() == status && type != SCHEDULER_NOT_FOUND && type != METRIC_REQUIRED
					&& type != INVALID_STATE && type != MEMORY_LIMIT_EXCEEDED) {
				return type;
			}
		}
		return (status >= 500) ? INTERNAL_ERROR : MALFORMED_REQUEST;
	}

}
