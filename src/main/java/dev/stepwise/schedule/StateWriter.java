package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Helpers that write state documents in plain Java values.
 */
final class StateWriter {

	private StateWriter() {
	}

	static List<Double> list(double[] values) {
		List<Double> list = new ArrayList<>(values.length);
		for (double value : values) {
			list.add(value);
		}
		return list;
	}

	/**
	 * The constructor's hyperparameters, which PyTorch keeps in {@code state_dict()} too:
	 * the keyword arguments but {@code type} and {@code schedulers}, {@code None} ones
	 * included.
	 */
	static Map<String, @Nullable Object> hyperparameters(Map<String, @Nullable Object> arguments) {
		Map<String, @Nullable Object> result = new LinkedHashMap<>();
		arguments.forEach((name, value) -> {
			if (!name.equals("type") && !name.equals("schedulers")) {
				result.put(name, value);
			}
		});
		return result;
	}

	/** Writes the hyperparameters that are not {@code None}. */
	static void putHyperparameters(Map<String, Object> dict, Map<String, @Nullable Object> hyperparameters) {
		hyperparameters.forEach((name, value) -> {
			if (value != null) {
				dict.put(name, value);
			}
		});
	}

}
