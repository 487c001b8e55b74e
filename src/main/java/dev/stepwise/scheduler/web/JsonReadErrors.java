package dev.stepwise.scheduler.web;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.stepwise.schedule.FieldError;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Describes what Jackson could not read, by the JSON path of the offending value, in
 * words that name JSON types rather than Java classes.
 */
final class JsonReadErrors {

	private JsonReadErrors() {
	}

	/** The detail of a problem for {@code ex}. */
	static String detail(JacksonException ex) {
		if (ex instanceof StreamReadException && !(ex instanceof MismatchedInputException)) {
			TokenStreamLocation location = ex.getLocation();
			String where = (location != null && location.getLineNr() > 0)
					? " at line " + location.getLineNr() + ", column " + location.getColumnNr() : "";
			return "The request body is not valid JSON" + where + ": " + clean(ex.getOriginalMessage());
		}
		String path = path(ex);
		return (path != null) ? "The request body has a problem at " + path + "."
				: "The request body must be a JSON object.";
	}

	/**
	 * The field errors of {@code ex}: one, when the path of the offending value is known.
	 */
	static List<FieldError> errors(JacksonException ex) {
		String path = path(ex);
		return (path != null) ? List.of(new FieldError(path, message(ex))) : List.of();
	}

	/** Jackson's message without its references to the (redacted) source. */
	private static String clean(String message) {
		return message.replaceAll("\\s*\\(start marker at \\[Source.*?\\]\\)", "")
			.replaceAll("\\s*at \\[Source.*", "")
			.trim();
	}

	private static String message(JacksonException ex) {
		if (ex instanceof StreamReadException && !(ex instanceof MismatchedInputException)) {
			return "is not valid JSON";
		}
		if (ex instanceof UnrecognizedPropertyException) {
			return "unknown field";
		}
		if (ex instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
			return "must be " + jsonType(mismatch.getTargetType());
		}
		return "has an invalid value";
	}

	private static String jsonType(Class<?> type) {
		if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
			return "an integer";
		}
		if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
			return "a number";
		}
		if (type == String.class) {
			return "a string";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (Collection.class.isAssignableFrom(type) || type.isArray()) {
			return "an array";
		}
		return (Map.class.isAssignableFrom(type) || type.isRecord()) ? "an object" : "of another JSON type";
	}

	/**
	 * The JSON path of the offending value, {@code param_groups[0].lr}, or {@code null}
	 * at the root.
	 */
	static @Nullable String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
			else if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
		}
		return path.isEmpty() ? null : path.toString();
	}

}
