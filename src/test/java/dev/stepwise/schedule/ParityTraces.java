package dev.stepwise.schedule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.stepwise.schedule.InvalidScheduleException.Kind;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Golden traces computed by the real {@code torch.optim.lr_scheduler}
 * ({@code shared/parity/oracle.py}), loaded from test resources so the tests need neither
 * Python nor {@code shared/} at run time.
 */
final class ParityTraces {

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(tools.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
		.build();

	private ParityTraces() {
	}

	/** One case with what PyTorch did for it. */
	record Trace(Map<String, Object> input, Map<String, Object> expected) {

		String name() {
			return (String) this.input.get("name");
		}

		@SuppressWarnings("unchecked")
		Map<String, Object> scheduler() {
			return (Map<String, Object>) this.input.get("scheduler");
		}

		@SuppressWarnings("unchecked")
		List<ParamGroup> paramGroups() {
			List<ParamGroup> groups = new ArrayList<>();
			for (Map<String, Object> group : (List<Map<String, Object>>) this.input.get("param_groups")) {
				Number momentum = (Number) group.get("momentum");
				groups.add(new ParamGroup(((Number) group.get("lr")).doubleValue(),
						(momentum != null) ? momentum.doubleValue() : null));
			}
			return groups;
		}

		long lastEpoch() {
			Number value = (Number) this.input.get("last_epoch");
			return (value != null) ? value.longValue() : 0;
		}

		int steps() {
			return ((Number) this.input.get("steps")).intValue();
		}

		@SuppressWarnings("unchecked")
		List<Double> metrics() {
			List<Number> metrics = (List<Number>) this.input.getOrDefault("metrics", List.of());
			// null where a step takes no metric (stepwise.WarmupPlateau's warmup)
			return metrics.stream().map((metric) -> (metric != null) ? metric.doubleValue() : null).toList();
		}

		/**
		 * The branch whose fix this case waits for ({@code "pending": "fixes-a"}), or
		 * null: ParityTest skips a pending case until the marker is removed.
		 */
		String pending() {
			return (String) this.input.get("pending");
		}

		boolean rejected() {
			return !this.expected.containsKey("states") || "rejected".equals(this.input.get("expect"));
		}

		@SuppressWarnings("unchecked")
		List<Map<String, Object>> states() {
			return (List<Map<String, Object>>) this.expected.get("states");
		}

		boolean refusesAStep() {
			return this.expected.containsKey("error_at");
		}

		@SuppressWarnings("unchecked")
		List<Integer> expectStatus() {
			return (List<Integer>) this.input.getOrDefault("expect_status", List.of(400, 422));
		}

		/**
		 * The class of the exception PyTorch raised ({@code "ValueError"}, ...), or null
		 * if it raised none.
		 */
		String torchError() {
			String error = (String) this.expected.get("error");
			if (error == null) {
				return null;
			}
			int colon = error.indexOf(':');
			return (colon < 0) ? error : error.substring(0, colon);
		}

		/**
		 * Whether PyTorch raised while building the scheduler (or fast-forwarding it),
		 * before any state.
		 */
		boolean torchRejectsAtRegistration() {
			return !this.expected.containsKey("states") && this.expected.containsKey("error");
		}

		/**
		 * How Stepwise must reject this case: the case's own single {@code expect_status}
		 * (400 or 422) when it has one, a deliberate difference from the PyTorch of the
		 * traces; otherwise the kind of what PyTorch raised at registration.
		 */
		Kind rejectionKind() {
			List<Integer> status = expectStatus();
			if (status.size() == 1) {
				return switch (status.get(0)) {
					case 400 -> Kind.MALFORMED;
					case 422 -> Kind.INVALID;
					default ->
						throw new IllegalStateException(name() + ": expect_status " + status + " is no rejection");
				};
			}
			Kind kind = torchRejectsAtRegistration() ? kindOf(torchError()) : null;
			if (kind == null) {
				throw new IllegalStateException(name() + ": PyTorch's " + this.expected.get("error")
						+ " says no kind of rejection; give the case an expect_status of [400] or [422]");
			}
			return kind;
		}

		/**
		 * The kind of rejection for a Python exception raised by a scheduler's
		 * constructor, or null if it has none: a {@code TypeError} (or an unknown name)
		 * is a malformed request, a {@code ValueError} (or arithmetic that fails on the
		 * values) an invalid one.
		 */
		static Kind kindOf(String pythonError) {
			if (pythonError == null) {
				return null;
			}
			return switch (pythonError) {
				case "TypeError", "AttributeError", "KeyError" -> Kind.MALFORMED;
				case "ValueError", "ZeroDivisionError", "IndexError" -> Kind.INVALID;
				default -> null;
			};
		}

		@Override
		public String toString() {
			return name();
		}

	}

	/** The traces of a cases/expected pair of resources under {@code /parity}. */
	static List<Trace> load(String cases, String expected) {
		List<Map<String, Object>> inputs = read("/parity/" + cases);
		List<Map<String, Object>> outputs = read("/parity/" + expected);
		List<Trace> traces = new ArrayList<>();
		for (int i = 0; i < inputs.size(); i++) {
			if (!inputs.get(i).get("name").equals(outputs.get(i).get("name"))) {
				throw new IllegalStateException("cases and expectations are out of order at " + i);
			}
			traces.add(new Trace(inputs.get(i), outputs.get(i)));
		}
		return traces;
	}

	private static List<Map<String, Object>> read(String resource) {
		try (InputStream in = ParityTraces.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("missing test resource " + resource);
			}
			return JSON.readValue(in, new TypeReference<>() {
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
