package dev.stepwise.schedule;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Progress;

/**
 * Reads a state document: every key a scheduler needs must be there with the right type
 * and one value per param group; non-finite numbers may come as {@code "NaN"},
 * {@code "Infinity"}, {@code "-Infinity"}. A strict reader (a document sent by a client)
 * also checks what stepping could reach: finite numbers and counters from their start up
 * to {@link Schedule#MAX_EPOCH}, so that no later step overflows; the stored documents
 * the engine wrote itself are read as they are.
 */
final class StateReader {

	private final Map<String, ?> document;

	private final String path;

	private final int groups;

	private final boolean strict;

	StateReader(Map<String, ?> document, String path, int groups, boolean strict) {
		this.document = document;
		this.path = path;
		this.groups = groups;
		this.strict = strict;
	}

	String path() {
		return this.path;
	}

	boolean strict() {
		return this.strict;
	}

	long integer(String key) {
		Object value = require(key);
		if (value instanceof Long || value instanceof Integer) {
			return ((Number) value).longValue();
		}
		if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
			return (long) (double) d;
		}
		throw invalid(key, "must be an integer");
	}

	/**
	 * A counter that steps increment: strictly, from {@code min} to
	 * {@link Schedule#MAX_EPOCH}.
	 */
	long counter(String key, long min) {
		long value = integer(key);
		if (this.strict && (value < min || value > Schedule.MAX_EPOCH)) {
			throw invalid(key, "must be an integer from " + min + " to " + Schedule.MAX_EPOCH + ", got " + value);
		}
		return value;
	}

	double real(String key) {
		return toReal(key, require(key));
	}

	/** A number that stepping keeps finite: strictly, NaN and infinities are refused. */
	double finite(String key) {
		return checkFinite(key, real(key));
	}

	double[] reals(String key) {
		Object value = require(key);
		if (!(value instanceof List<?> list) || list.size() != this.groups) {
			throw invalid(key, "must be a list of " + this.groups + " numbers, one per param group");
		}
		double[] result = new double[this.groups];
		for (int i = 0; i < result.length; i++) {
			result[i] = toReal(key + "[" + i + "]", list.get(i));
		}
		return result;
	}

	/** {@link #reals}, each one {@link #finite}. */
	double[] finiteReals(String key) {
		double[] result = reals(key);
		for (int i = 0; i < result.length; i++) {
			checkFinite(key + "[" + i + "]", result[i]);
		}
		return result;
	}

	private double checkFinite(String key, double value) {
		if (this.strict && !Double.isFinite(value)) {
			throw invalid(key, "must be a finite number, got " + value);
		}
		return value;
	}

	/**
	 * The attributes every {@code LRScheduler} has. A nested child's {@code last_epoch}
	 * may be negative: SequentialLR rewinds its children, recursively.
	 */
	Progress progress() {
		return new Progress(counter("last_epoch", -Schedule.MAX_EPOCH), counter("_step_count", 0),
				finiteReals("base_lrs"), finiteReals("_last_lr"));
	}

	/**
	 * The readers of the nested {@code _schedulers} documents, checked against the
	 * expected count.
	 */
	List<StateReader> children(int expected) {
		return children(expected, this.groups);
	}

	/**
	 * The readers of the nested {@code _schedulers} documents, each of a scheduler on
	 * {@code groups} param groups (stepwise.PerGroup's children have one each).
	 */
	List<StateReader> children(int expected, int groups) {
		Object value = require("_schedulers");
		if (!(value instanceof List<?> list) || list.size() != expected) {
			throw invalid("_schedulers", "must be a list of " + expected + " scheduler states");
		}
		List<StateReader> readers = new ArrayList<>(expected);
		for (int i = 0; i < expected; i++) {
			if (!(list.get(i) instanceof Map<?, ?> child)) {
				throw invalid("_schedulers[" + i + "]", "must be an object");
			}
			@SuppressWarnings("unchecked")
			Map<String, ?> typed = (Map<String, ?>) child;
			readers.add(new StateReader(typed, this.path + "._schedulers[" + i + "]", groups, this.strict));
		}
		return readers;
	}

	/** The reader of the nested document under {@code key}. */
	StateReader nested(String key) {
		if (!(require(key) instanceof Map<?, ?> child)) {
			throw invalid(key, "must be an object");
		}
		@SuppressWarnings("unchecked")
		Map<String, ?> typed = (Map<String, ?>) child;
		return new StateReader(typed, this.path + "." + key, this.groups, this.strict);
	}

	/** Whether the document holds {@code key} with a value other than null. */
	boolean has(String key) {
		return this.document.get(key) != null;
	}

	Object require(String key) {
		Object value = this.document.get(key);
		if (value == null) {
			throw invalid(key, "is missing");
		}
		return value;
	}

	/**
	 * The keys of {@code registered} the document holds with another value: PyTorch's
	 * {@code load_state_dict} would apply them, changing the schedule. Numbers are equal
	 * by value, so {@code 1} and {@code 1.0} are the same; an absent key is no
	 * difference.
	 */
	void differingKeys(Map<String, @Nullable Object> registered, List<FieldError> differing) {
		registered.forEach((key, expected) -> {
			if (this.document.containsKey(key) && !same(expected, this.document.get(key))) {
				differing.add(new FieldError(this.path + "." + key, "differs from the registered spec (" + expected
						+ "): a state document restores a position," + " it does not change the schedule"));
			}
		});
	}

	private static boolean same(@Nullable Object expected, @Nullable Object actual) {
		if (expected instanceof List<?> list) {
			if (!(actual instanceof List<?> other) || other.size() != list.size()) {
				return false;
			}
			for (int i = 0; i < list.size(); i++) {
				if (!same(list.get(i), other.get(i))) {
					return false;
				}
			}
			return true;
		}
		if (expected instanceof Number number && !(expected instanceof Byte)) {
			double value = number.doubleValue();
			if (!Double.isFinite(value)) {
				Double other = nonFinite(actual);
				return other != null && other.equals(value);
			}
			return actual instanceof Number other && !(actual instanceof Byte) && Double.isFinite(other.doubleValue())
					&& decimal(number).compareTo(decimal(other)) == 0;
		}
		return (expected != null) ? expected.equals(actual) : actual == null;
	}

	private static BigDecimal decimal(Number number) {
		return (number instanceof Long || number instanceof Integer) ? BigDecimal.valueOf(number.longValue())
				: new BigDecimal(number.doubleValue());
	}

	private static @Nullable Double nonFinite(@Nullable Object value) {
		if (value instanceof Double d) {
			return d;
		}
		if (value instanceof String text) {
			return switch (text) {
				case "NaN", "nan" -> Double.NaN;
				case "Infinity", "inf" -> Double.POSITIVE_INFINITY;
				case "-Infinity", "-inf" -> Double.NEGATIVE_INFINITY;
				default -> null;
			};
		}
		return null;
	}

	private double toReal(String key, Object value) {
		if (value instanceof Number number && !(value instanceof Byte)) {
			return number.doubleValue();
		}
		Double parsed = nonFinite(value);
		if (parsed != null && value instanceof String) {
			return parsed;
		}
		throw invalid(key, "must be a number");
	}

	InvalidStateException invalid(String key, String message) {
		return new InvalidStateException(this.path + "." + key, message);
	}

}
