package dev.stepwise.schedule;

import java.util.ArrayList;
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
	 * The constructor's hyperparameters, which PyTorch keeps in {@code state_dict()} too
	 * (informational).
	 */
	static void hyperparameters(Map<String, Object> dict, Map<String, @Nullable Object> arguments) {
		arguments.forEach((name, value) -> {
			if (value != null && !name.equals("type") && !name.equals("schedulers")) {
				dict.put(name, value);
			}
		});
	}

}
