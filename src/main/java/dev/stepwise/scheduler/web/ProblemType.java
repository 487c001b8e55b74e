package dev.stepwise.scheduler.web;
import java.net.URI;

import org.springframework.http.HttpStatus;

/**
 * The stable problem types of the API: one per kind of error, each with its status and title.
 */
enum ProblemType {

	/** Malformed JSON, wrong JSON type, missing or unknown field, unknown scheduler type or argument. */
	MALFORMED_REQUEST("malformed-request", HttpStatus.BAD_REQUEST, "Malformed request"),

	/** A step of a scheduler that needs a metric came without one. */
	METRIC_REQUIRED("metric-required", HttpStatus.BAD_REQUEST, "Metric required"),

	/** A well-formed value that is not valid (what PyTorch answers with a ValueError, and more). */
	INVALID_ARGUMENT("invalid-argument", HttpStatus.UNPROCESSABLE_CONTENT, "Invalid argument"),

	/** A state document that does not fit the scheduler. */
	INVALID_STATE("invalid-state", HttpStatus.UNPROCESSABLE_CONTENT, "Invalid state document"),

	/** No scheduler has the id. */
	SCHEDULER_NOT_FOUND("scheduler-not-found", HttpStatus.NOT_FOUND, "Scheduler not found"),

	/** No such resource at all. */
	NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "Not found"),

	/** A gap, a different metric for a recorded epoch, an epoch no longer recorded. */
	EPOCH_CONFLICT("epoch-conflict", HttpStatus.CONFLICT, "Epoch conflict"),

	/** The id is registered with a different body. */
	REGISTRATION_CONFLICT("registration-conflict", HttpStatus.CONFLICT, "Registration conflict"),

	/** PyTorch refuses the step (e.g. OneCycleLR past total_steps). */
	STEP_REFUSED("step-refused", HttpStatus.CONFLICT, "Step refused"),

	/** The request body is too large. */
	PAYLOAD_TOO_LARGE("payload-too-large", HttpStatus.CONTENT_TOO_LARGE, "Payload too large"),

	/** The HTTP method is not supported by the resource. */
	METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),

	/** None of the accepted media types can be produced. */
	NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),

	/** The request body is not JSON. */
	UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),

	/** The database is busy or unreachable; retry. */
	SERVICE_UNAVAILABLE("service-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable"),

	/** A fault of the service. */
	INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

	/** The prefix of every problem type URI. */
	static final String BASE = "https://stepwise.dev/problems/";

	private final URI uri;

	private final HttpStatus status;

	private final String title;

	ProblemType(String slug, HttpStatus status, String title) {
		this.uri = URI.create(BASE + slug);
		this.status = status;
		this.title = title;
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

	/** The type of a problem the framework raised with {@code status}. */
	static ProblemType forStatus(int status) {
		for (ProblemType type : values()) {
			if (type.status.value() == status && type != SCHEDULER_NOT_FOUND && type != METRIC_REQUIRED
					&& type != INVALID_STATE) {
				return type;
			}
		}
		return (status >= 500) ? INTERNAL_ERROR : MALFORMED_REQUEST;
	}

}
