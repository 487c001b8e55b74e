package dev.stepwise.system;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problem responses an API operation may answer; the OpenAPI document lists them as references to
 * the shared responses of {@link OpenApiConfiguration}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ProblemResponses {

	/** The problems, by kind. */
	Problem[] value();

	/**
	 * The shared problem responses.
	 */
	enum Problem {

		/** 400. */
		MALFORMED_REQUEST("400", "MalformedRequest", "Malformed request (400): malformed JSON, a wrong JSON type, a"
				+ " missing or unknown field, an unknown scheduler type or argument (PyTorch's TypeError), a missing"
				+ " metric (metric-required)."),

		/** 404. */
		NOT_FOUND("404", "NotFound", "No scheduler has this id (scheduler-not-found)."),

		/** 409. */
		CONFLICT("409", "Conflict", "Conflict (409): epoch-conflict (a gap, a different metric for a recorded epoch, an"
				+ " epoch no longer recorded; expected_epoch names the next epoch of a gap), registration-conflict (the"
				+ " id is registered with a different body) or step-refused (PyTorch raises in this step, e.g."
				+ " OneCycleLR past total_steps)."),

		/** 413. */
		PAYLOAD_TOO_LARGE("413", "PayloadTooLarge", "The request body exceeds 1 MiB (payload-too-large)."),

		/** 422. */
		INVALID_ARGUMENT("422", "InvalidArgument", "Invalid argument (422): a well-formed value PyTorch refuses (its"
				+ " ValueError) or that exceeds a limit; invalid-state for a state document that does not fit.");

		private final String status;

		private final String name;

		private final String description;

		Problem(String status, String name, String description) {
			this.status = status;
			this.name = name;
			this.description = description;
		}

		String status() {
			return this.status;
		}

		String responseName() {
			return this.name;
		}

		String description() {
			return this.description;
		}

	}

}
