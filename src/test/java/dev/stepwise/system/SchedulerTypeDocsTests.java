package dev.stepwise.system;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stepwise.schedule.ParamGroup;
import dev.stepwise.schedule.Schedule;
import dev.stepwise.system.SchedulerTypeDocs.Argument;
import dev.stepwise.system.SchedulerTypeDocs.TypeDoc;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented scheduler types are the engine's: every argument the engine reports is documented,
 * and every documented default is the one the engine fills in.
 */
class SchedulerTypeDocsTests {

	/** Values for the required arguments of a minimal spec. */
	private static final Map<String, Object> REQUIRED = Map.ofEntries(Map.entry("lr_lambda", "0.95 ** epoch"),
			Map.entry("step_size", 3L), Map.entry("milestones", List.of(2L)), Map.entry("gamma", 0.9),
			Map.entry("T_max", 10L), Map.entry("T_0", 10L), Map.entry("base_lr", 0.01), Map.entry("max_lr", 0.1),
			Map.entry("num_warmup_steps", 10L), Map.entry("num_training_steps", 100L),
			Map.entry("num_decay_steps", 20L),
			Map.entry("schedulers", List.of(Map.of("type", "ConstantLR"), Map.of("type", "ExponentialLR", "gamma", 0.9))));

	/** Arguments a type needs although PyTorch gives them a default (one of them must be set). */
	private static final Map<String, Map<String, Object>> EXTRA = Map.of("OneCycleLR", Map.of("total_steps", 100L),
			"cosine_with_min_lr", Map.of("min_lr_rate", 0.1), "cosine_warmup_with_min_lr", Map.of("min_lr_rate", 0.1),
			"SequentialLR", Map.of("milestones", List.of(5L)), "warmup_stable_decay",
			Map.of("num_training_steps", 100L));

	static List<TypeDoc> types() {
		return SchedulerTypeDocs.types();
	}

	@ParameterizedTest
	@MethodSource("types")
	void documentedDefaultsAreTheEngines(TypeDoc type) {
		Map<String, Object> spec = minimalSpec(type);
		Map<String, Object> normalized = Schedule.of(spec, List.of(new ParamGroup(0.1, 0.9))).normalizedSpec();
		for (Argument argument : type.arguments()) {
			if (spec.containsKey(argument.name())) {
				continue;
			}
			Object actual = normalized.get(argument.name());
			if (argument.defaultValue() == null) {
				// "null: <what it means>" documents a default derived from other arguments
				assertThat((actual == null) || argument.meaning().contains("null: ")).as(type.type() + "." + argument.name())
					.isTrue();
			}
			else if (argument.defaultValue() instanceof Number number) {
				assertThat(actual).as(type.type() + "." + argument.name()).isInstanceOf(Number.class);
				assertThat(((Number) actual).doubleValue()).as(type.type() + "." + argument.name())
					.isEqualTo(number.doubleValue());
			}
			else {
				assertThat(actual).as(type.type() + "." + argument.name()).isEqualTo(argument.defaultValue());
			}
		}
	}

	@ParameterizedTest
	@MethodSource("types")
	void everyArgumentIsDocumented(TypeDoc type) {
		Map<String, Object> normalized = Schedule.of(minimalSpec(type), List.of(new ParamGroup(0.1, 0.9)))
			.normalizedSpec();
		List<String> documented = type.arguments().stream().map(Argument::name).toList();
		assertThat(normalized.keySet()).as(type.type()).allMatch((key) -> key.equals("type") || documented.contains(key));
		assertThat(normalized.get("type")).isEqualTo(type.type());
	}

	private static Map<String, Object> minimalSpec(TypeDoc type) {
		Map<String, Object> spec = new LinkedHashMap<>();
		spec.put("type", type.type());
		type.arguments().stream().filter(Argument::required).forEach((argument) -> spec.put(argument.name(),
				REQUIRED.get(argument.name())));
		spec.putAll(EXTRA.getOrDefault(type.type(), Map.of()));
		return spec;
	}

}
