package dev.stepwise.schedule;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Converts JSON values as a JSON parser hands them over untyped into the plain-Java form
 * the engine takes: JSON integers become {@code Long}, JSON decimals {@code Double} (so
 * that {@code 1} and {@code 1.0} stay apart, as they do in PyTorch), strings, booleans,
 * lists, maps and {@code null} stay as they are.
 */
public final class JsonValues {

	private JsonValues() {
	}

	/**
	 * Converts a JSON object.
	 * @param json the object as Jackson read it
	 * @param path the path of the object in the request, prefixed to the path of a bad
	 * value
	 * @param finiteOnly whether NaN and infinite numbers are refused
	 * @return the object in engine form, in the same key order
	 * @throws InvalidValueException when a value cannot be represented
	 */
	public static Map<String, Object> object(Map<?, ?> json, String path, boolean finiteOnly) {
		Map<String, Object> result = new LinkedHashMap<>();
		json.forEach((key, value) -> result.put(String.valueOf(key),
				convert(value, path.isEmpty() ? String.valueOf(key) : path + "." + key, finiteOnly)));
		return result;
	}

	private static @Nullable Object convert(@Nullable Object value, String path, boolean finiteOnly) {
		if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
			return ((Number) value).longValue();
		}
		if (value instanceof BigInteger big) {
			if (big.bitLength() > 63) {
				throw new InvalidValueException(path, "integer out of range");
			}
			return big.longValue();
		}
		if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
			double number = ((Number) value).doubleValue();
			if (finiteOnly && !Double.isFinite(number)) {
				throw new InvalidValueException(path, "must be a finite number");
			}
			return number;
		}
		if (value instanceof Map<?, ?> map) {
			return object(map, path, finiteOnly);
		}
		if (value instanceof List<?> list) {
			List<@Nullable Object> result = new ArrayList<>(list.size());
			for (int i = 0; i < list.size(); i++) {
				result.add(convert(list.get(i), path + "[" + i + "]", finiteOnly));
			}
			return result;
		}
		return value;
	}

	/**
	 * A JSON value the engine cannot take.
	 */
	public static final class InvalidValueException extends RuntimeException {

		private final String field;

		InvalidValueException(String field, String message) {
			super(message);
			this.field = field;
		}

		/** The path of the value. */
		public String field() {
			return this.field;
		}

	}

}
