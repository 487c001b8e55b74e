package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.stepwise.schedule.NodeState.Progress;

/**
 * Reads a state document strictly: every key a scheduler needs must be there with the
 * right type and one value per param group; non-finite numbers may come as {@code "NaN"},
 * {@code "Infinity"}, {@code "-Infinity"}. Keys it does not need (hyperparameters) are
 * ignored.
 */
final class StateReader {

	private final Map<String, ?> document;

	private final String path;

	private final int groups;

	StateReader(Map<String, ?> document, String path, int groups) {
		this.document = document;
		this.path = path;
		this.groups = groups;
	}

	String path() {
		return this.path;
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

	double real(String key) {
		return toReal(key, require(key));
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

	/** The attributes every {@code LRScheduler} has. */
	Progress progress() {
		return new Progress(integer("last_epoch"), integer("_step_count"), reals("base_lrs"), reals("_last_lr"));
	}

	/**
	 * The readers of the nested {@code _schedulers} documents, checked against the
	 * expected count.
	 */
	List<StateReader> children(int expected) {
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
			readers.add(new StateReader(typed, this.path + "._schedulers[" + i + "]", this.groups));
		}
		return readers;
	}

	Object require(String key) {
		Object value = this.document.get(key);
		if (value == null) {
			throw invalid(key, "is missing");
		}
		return value;
	}

	private double toReal(String key, Object value) {
		if (value instanceof Number number && !(value instanceof Byte)) {
			return number.doubleValue();
		}
		if (value instanceof String text) {
			switch (text) {
				case "NaN", "nan":
					return Double.NaN;
				case "Infinity", "inf":
					return Double.POSITIVE_INFINITY;
				case "-Infinity", "-inf":
					return Double.NEGATIVE_INFINITY;
				default:
			}
		}
		throw invalid(key, "must be a number");
	}

	InvalidStateException invalid(String key, String message) {
		return new InvalidStateException(this.path + "." + key, message);
	}

}
