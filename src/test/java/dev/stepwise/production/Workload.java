package dev.stepwise.production;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * The schedules the production tests drive: one of each family that keeps state between
 * steps (counters, cycles, plateau bookkeeping, nested schedulers, expressions), with the
 * metric a trainer would report at each epoch.
 */
final class Workload {

	/**
	 * One kind of scheduler.
	 *
	 * @param name a short name
	 * @param paramGroups the {@code param_groups} of the registration
	 * @param scheduler the {@code scheduler} of the registration
	 * @param needsMetrics whether its steps need a metric (then previews get them too)
	 */
	record Kind(String name, List<Map<String, Object>> paramGroups, Map<String, Object> scheduler,
			boolean needsMetrics) {

		/** The registration body for a scheduler of this kind. */
		Map<String, Object> registration(String id) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("id", id);
			body.put("param_groups", this.paramGroups);
			body.put("scheduler", this.scheduler);
			return body;
		}

		/**
		 * Registration and {@code steps} steps with {@link Workload#metric} in one
		 * process, without storing anything: the reference every replica and every
		 * restart must agree with.
		 * @return the states after registration and after each step, indexed by epoch
		 */
		List<List<Api.Group>> preview(Api api, URI base, int steps) throws IOException, InterruptedException {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("param_groups", this.paramGroups);
			body.put("scheduler", this.scheduler);
			body.put("steps", steps);
			if (this.needsMetrics) {
				List<Double> metrics = new ArrayList<>();
				for (int epoch = 1; epoch <= steps; epoch++) {
					metrics.add(metric(epoch));
				}
				body.put("metrics", metrics);
			}
			Api.Response response = api.post(base, "/api/v1/previews", body);
			if (response.status() != 200) {
				throw new IllegalStateException("preview of " + this.name + " gave " + response);
			}
			List<List<Api.Group>> states = new ArrayList<>();
			for (JsonNode state : response.json().path("states")) {
				states.add(Api.groups(state));
			}
			if (states.size() != steps + 1) {
				throw new IllegalStateException(
						"preview of " + this.name + " gave " + states.size() + " states for " + steps + " steps");
			}
			return states;
		}

	}

	static final List<Kind> KINDS = List.of(
			kind("StepLR", List.of(group(0.1, 0.9), group(0.01, null)),
					Map.of("type", "StepLR", "step_size", 7, "gamma", 0.5), false),
			kind("OneCycleLR", List.of(group(0.1, 0.9), group(0.01, 0.9)),
					Map.of("type", "OneCycleLR", "max_lr", List.of(0.1, 0.01), "total_steps", 100000), false),
			kind("CosineAnnealingWarmRestarts", List.of(group(0.05, null)),
					Map.of("type", "CosineAnnealingWarmRestarts", "T_0", 10, "T_mult", 2, "eta_min", 0.0001), false),
			kind("ReduceLROnPlateau", List.of(group(0.1, 0.9)),
					Map.of("type", "ReduceLROnPlateau", "mode", "min", "factor", 0.5, "patience", 3, "cooldown", 1),
					true),
			kind("SequentialLR", List.of(group(0.1, null)),
					Map.of("type", "SequentialLR", "schedulers",
							List.of(Map.of("type", "LinearLR", "start_factor", 0.1, "total_iters", 10),
									Map.of("type", "ExponentialLR", "gamma", 0.999)),
							"milestones", List.of(10)),
					false),
			kind("cosine", List.of(group(0.001, null)),
					Map.of("type", "cosine", "num_warmup_steps", 10, "num_training_steps", 100000), false),
			kind("CyclicLR", List.of(group(0.1, 0.9)),
					Map.of("type", "CyclicLR", "base_lr", 0.001, "max_lr", 0.1, "step_size_up", 20), false),
			kind("LambdaLR", List.of(group(0.1, null)),
					Map.of("type", "LambdaLR", "lr_lambda", "0.99 ** epoch if epoch < 50 else 0.5"), false));

	private Workload() {
	}

	/**
	 * The validation metric a trainer reports after epoch {@code epoch}: decreasing with
	 * plateaus and bumps, so that ReduceLROnPlateau reduces now and then; the same for
	 * every caller.
	 */
	static double metric(long epoch) {
		return 1.0 / (1.0 + epoch / 10.0) + ((epoch * 7919) % 13) / 100.0;
	}

	private static Kind kind(String name, List<Map<String, Object>> groups, Map<String, Object> scheduler,
			boolean needsMetrics) {
		return new Kind(name, groups, scheduler, needsMetrics);
	}

	private static Map<String, Object> group(double lr, Double momentum) {
		Map<String, Object> group = new LinkedHashMap<>();
		group.put("lr", lr);
		if (momentum != null) {
			group.put("momentum", momentum);
		}
		return group;
	}

}
