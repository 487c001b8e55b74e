package dev.stepwise.schedule;

import java.util.List;

/**
 * A schedule that cannot be built: PyTorch would raise in the constructor, or the
 * arguments are not what the scheduler takes.
 */
public final class InvalidScheduleException extends RuntimeException {

	private final Kind kind;

	private final List<FieldError> errors;

	public InvalidScheduleException(Kind kind, List<FieldError> errors) {
		super(errors.isEmpty() ? kind.name() : errors.get(0).field() + ": " + errors.get(0).message());
		this.kind = kind;
		this.errors = List.copyOf(errors);
	}

	public InvalidScheduleException(Kind kind, String field, String message) {
		this(kind, List.of(new FieldError(field, message)));
	}

	/** Whether the request is malformed or holds an invalid value. */
	public Kind kind() {
		return this.kind;
	}

	/** Every argument problem found, at least one. */
	public List<FieldError> errors() {
		return this.errors;
	}

	/**
	 * The two ways a schedule can be wrong, after Python's exception classes.
	 */
	public enum Kind {

		/**
		 * Unknown type, unknown or missing argument, wrong JSON type: what PyTorch
		 * answers with a {@code TypeError} (HTTP 400).
		 */
		MALFORMED,

		/**
		 * A well-formed value PyTorch rejects with a {@code ValueError}, or that we
		 * reject more strictly (HTTP 422).
		 */
		INVALID

	}

}
