package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.InvalidScheduleException.Kind;

/**
 * Reads one scheduler's keyword arguments from a plain-Java JSON object the way Python binds them:
 * unknown names and wrong types are {@code TypeError}s (MALFORMED), bad values are
 * {@code ValueError}s (INVALID). Records every value it hands out, defaults included, so the
 * normalised spec comes for free.
 */
final class ArgumentReader {

	private final Map<String, ?> values;

	private final String path;

	private final int groups;

	private final double firstLr;

	private final Map<String, @Nullable Object> normalized = new LinkedHashMap<>();

	ArgumentReader(Map<String, ?> values, String path, int groups, double firstLr) {
		this.values = values;
		this.path = path;
		this.groups = groups;
		this.firstLr = firstLr;
	}

	/** The first group's registered lr: Hugging Face's {@code optimizer.defaults["lr"]}. */
	double firstLr() {
		return this.firstLr;
	}

	/** The number of param groups the scheduler is built for. */
	int groups() {
		return this.groups;
	}

	/** The path of an argument, for error messages. */
	String field(String name) {
		return this.path + "." + name;
	}

	/** The scheduler type named by this object. */
	String type() {
		Object type = this.values.get("type");
		if (type == null) {
			throw malformed("type", "is required: one of " + SchedulerFactory.TYPES);
		}
		if (!(type instanceof String name)) {
			throw malformed("type", "must be a string");
		}
		this.normalized.put("type", name);
		return name;
	}

	boolean has(String name) {
		return this.values.get(name) != null;
	}

	/** An int argument; {@code strict} where PyTorch checks {@code isinstance(x, int)} (so 2.0 is rejected). */
	long integer(String name, long defaultValue, boolean strict) {
		Long value = optionalInteger(name, strict);
		return remember(name, (value != null) ? value : defaultValue);
	}

	long requiredInteger(String name, boolean strict) {
		Long value = optionalInteger(name, strict);
		if (value == null) {
			throw missing(name);
		}
		return value;
	}

	@Nullable Long optionalInteger(String name, boolean strict) {
		Object value = this.values.get(name);
		if (value == null) {
			this.normalized.put(name, null);
			return null;
		}
		Long result = asInteger(name, value, strict);
		this.normalized.put(name, result);
		return result;
	}

	private Long asInteger(String name, Object value, boolean strict) {
		if (value instanceof Long || value instanceof Integer || value instanceof Short) {
			return ((Number) value).longValue();
		}
		if (value instanceof Double d) {
			if (strict || !Double.isFinite(d) || d != Math.rint(d) || Math.abs(d) > 1e15) {
				throw invalid(name, "must be an integer, got " + d);
			}
			return (long) (double) d;
		}
		throw malformed(name, "must be an integer");
	}

	/** A float argument; Python takes ints for floats, never booleans or strings. */
	double real(String name, double defaultValue) {
		Double value = optionalReal(name);
		return remember(name, (value != null) ? value : defaultValue);
	}

	double requiredReal(String name) {
		Double value = optionalReal(name);
		if (value == null) {
			throw missing(name);
		}
		return value;
	}

	@Nullable Double optionalReal(String name) {
		Object value = this.values.get(name);
		if (value == null) {
			this.normalized.put(name, null);
			return null;
		}
		double result = asReal(name, value);
		this.normalized.put(name, result);
		return result;
	}

	/** Whether the JSON number was written as an int ({@code 1}) rather than a float ({@code 1.0}). */
	boolean isInteger(String name) {
		Object value = this.values.get(name);
		return value instanceof Long || value instanceof Integer || value instanceof Short;
	}

	private double asReal(String field, Object value) {
		if (!(value instanceof Number number) || value instanceof Byte) {
			throw malformed(field, "must be a number");
		}
		double result = number.doubleValue();
		if (!Double.isFinite(result)) {
			throw invalid(field, "must be a finite number, got " + value);
		}
		return result;
	}

	/** A float or a list of floats with one entry per param group, as PyTorch's {@code _format_param}. */
	double[] reals(String name, @Nullable Double defaultValue) {
		Object value = this.values.get(name);
		if (value == null) {
			if (defaultValue == null) {
				throw missing(name);
			}
			this.normalized.put(name, defaultValue);
			return filled(defaultValue);
		}
		if (value instanceof List<?> list) {
			if (list.size() != this.groups) {
				throw invalid(name, name + " must have the same length as optimizer.param_groups. " + name + " has "
						+ list.size() + " values, param_groups has " + this.groups + ".");
			}
			double[] result = new double[list.size()];
			List<Double> copy = new ArrayList<>(list.size());
			for (int i = 0; i < result.length; i++) {
				Object item = list.get(i);
				if (item == null) {
					throw malformed(name + "[" + i + "]", "must be a number");
				}
				result[i] = asReal(name + "[" + i + "]", item);
				copy.add(result[i]);
			}
			this.normalized.put(name, copy);
			return result;
		}
		double scalar = asReal(name, value);
		this.normalized.put(name, scalar);
		return filled(scalar);
	}

	private double[] filled(double value) {
		double[] result = new double[this.groups];
		java.util.Arrays.fill(result, value);
		return result;
	}

	/** A list of ints, such as milestones. */
	long[] integers(String name) {
		Object value = this.values.get(name);
		if (value == null) {
			throw missing(name);
		}
		if (!(value instanceof List<?> list)) {
			throw malformed(name, "must be a list of integers");
		}
		if (list.size() > 100_000) {
			throw invalid(name, "has more than 100000 entries");
		}
		long[] result = new long[list.size()];
		List<Long> copy = new ArrayList<>(list.size());
		for (int i = 0; i < result.length; i++) {
			Object item = list.get(i);
			if (item == null) {
				throw malformed(name + "[" + i + "]", "must be an integer");
			}
			result[i] = asInteger(name + "[" + i + "]", item, false);
			copy.add(result[i]);
		}
		this.normalized.put(name, copy);
		return result;
	}

	String string(String name, @Nullable String defaultValue) {
		Object value = this.values.get(name);
		if (value == null) {
			if (defaultValue == null) {
				throw missing(name);
			}
			return remember(name, defaultValue);
		}
		if (!(value instanceof String text)) {
			throw malformed(name, "must be a string");
		}
		return remember(name, text);
	}

	@Nullable String optionalString(String name) {
		Object value = this.values.get(name);
		if (value == null) {
			this.normalized.put(name, null);
			return null;
		}
		return string(name, null);
	}

	boolean bool(String name, boolean defaultValue) {
		Object value = this.values.get(name);
		if (value == null) {
			return remember(name, defaultValue);
		}
		if (!(value instanceof Boolean flag)) {
			throw malformed(name, "must be true or false");
		}
		return remember(name, flag);
	}

	/** A string or a list of strings, one per group; the raw JSON is kept for the normalised spec. */
	List<String> strings(String name) {
		Object value = this.values.get(name);
		if (value == null) {
			throw missing(name);
		}
		if (value instanceof String text) {
			this.normalized.put(name, text);
			return List.of(text);
		}
		if (!(value instanceof List<?> list) || list.isEmpty()) {
			throw malformed(name, "must be a string or a list of strings");
		}
		if (list.size() != this.groups) {
			throw invalid(name, "Expected " + this.groups + " lr_lambdas, but got " + list.size());
		}
		List<String> result = new ArrayList<>(list.size());
		for (int i = 0; i < list.size(); i++) {
			if (!(list.get(i) instanceof String text)) {
				throw malformed(name + "[" + i + "]", "must be a string");
			}
			result.add(text);
		}
		this.normalized.put(name, List.copyOf(result));
		return result;
	}

	/** The nested scheduler objects of SequentialLR and ChainedScheduler. */
	List<ArgumentReader> schedulers(String name) {
		Object value = this.values.get(name);
		if (value == null) {
			throw missing(name);
		}
		if (!(value instanceof List<?> list)) {
			throw malformed(name, "must be a list of scheduler objects");
		}
		if (list.size() > 64) {
			throw invalid(name, "has more than 64 schedulers");
		}
		List<ArgumentReader> result = new ArrayList<>(list.size());
		for (int i = 0; i < list.size(); i++) {
			if (!(list.get(i) instanceof Map<?, ?> child)) {
				throw malformed(name + "[" + i + "]", "must be a scheduler object");
			}
			@SuppressWarnings("unchecked")
			Map<String, ?> typed = (Map<String, ?>) child;
			result.add(new ArgumentReader(typed, field(name) + "[" + i + "]", this.groups, this.firstLr));
		}
		return result;
	}

	/** Records a value in the normalised spec as given (for nested specs and computed defaults). */
	void put(String name, @Nullable Object value) {
		this.normalized.put(name, value);
	}

	/** The arguments with every default filled in, in PyTorch's order. */
	Map<String, @Nullable Object> normalized() {
		return this.normalized;
	}

	/** Rejects every argument the scheduler did not read, as Python rejects unexpected keyword arguments. */
	void rejectUnknown(String type) {
		Set<String> unknown = new TreeSet<>(this.values.keySet());
		unknown.removeAll(this.normalized.keySet());
		if (unknown.isEmpty()) {
			return;
		}
		List<FieldError> errors = new ArrayList<>();
		Set<String> known = new TreeSet<>(this.normalized.keySet());
		known.remove("type");
		for (String name : unknown) {
			String suggestion = known.stream().filter((candidate) -> isNearMiss(name, candidate)).findFirst()
				.map((candidate) -> "; did you mean '" + candidate + "'?")
				.orElse("; it takes " + (known.isEmpty() ? "no arguments" : String.join(", ", known)));
			errors.add(new FieldError(field(name), type + " got an unexpected keyword argument '" + name + "'" + suggestion));
		}
		throw new InvalidScheduleException(Kind.MALFORMED, errors);
	}

	InvalidScheduleException invalid(String name, String message) {
		return new InvalidScheduleException(Kind.INVALID, field(name), message);
	}

	InvalidScheduleException malformed(String name, String message) {
		return new InvalidScheduleException(Kind.MALFORMED, field(name), message);
	}

	/** A missing argument, or rather the misspelling of it the caller sent (Python would name that one). */
	private InvalidScheduleException missing(String name) {
		for (String key : this.values.keySet()) {
			if (!this.normalized.containsKey(key) && isNearMiss(key, name)) {
				return malformed(key, "unexpected keyword argument '" + key + "'; did you mean '" + name + "'?");
			}
		}
		return malformed(name, "is required");
	}

	/** Whether two names are at most two single-character edits apart. */
	static boolean isNearMiss(String a, String b) {
		if (a.equals(b) || Math.abs(a.length() - b.length()) > 2) {
			return false;
		}
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()] <= 2;
	}

	private <T> T remember(String name, T value) {
		this.normalized.put(name, value);
		return value;
	}

}
