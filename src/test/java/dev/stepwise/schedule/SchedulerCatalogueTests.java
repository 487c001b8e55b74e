package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.stepwise.schedule.InvalidScheduleException.Kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The catalogue is what the engine does: every type normalises to exactly its declared
 * arguments, in declared order, with the declared defaults, and the engine takes exactly
 * the catalogued types.
 */
class SchedulerCatalogueTests {

	private static final List<ParamGroup> GROUPS = List.of(new ParamGroup(0.1, 0.9));

	/** Sample values for the required arguments of a minimal spec. */
	private static final Map<String, Object> SAMPLES = Map.ofEntries(Map.entry("lr_lambda", "0.95 ** epoch"),
			Map.entry("step_size", 3L), Map.entry("milestones", List.of(2L)), Map.entry("gamma", 0.9),
			Map.entry("T_max", 10L), Map.entry("T_0", 10L), Map.entry("base_lr", 0.01), Map.entry("max_lr", 0.1),
			Map.entry("num_warmup_steps", 10L), Map.entry("num_training_steps", 100L),
			Map.entry("num_decay_steps", 20L), Map.entry("cycle_min_lr", 0.01), Map.entry("cycle_max_lr", 0.1),
			Map.entry("total_num_steps", 100L), Map.entry("warmup_steps", 5L), Map.entry("schedulers",
					List.of(Map.of("type", "ConstantLR"), Map.of("type", "ExponentialLR", "gamma", 0.9))));

	/**
	 * Optional arguments a type needs one of (PyTorch or HF raise without): given in the
	 * minimal spec.
	 */
	private static final Map<String, Map<String, Object>> ONE_OF = Map.of("OneCycleLR", Map.of("total_steps", 100L),
			"cosine_with_min_lr", Map.of("min_lr_rate", 0.1), "cosine_warmup_with_min_lr", Map.of("min_lr_rate", 0.1),
			"warmup_stable_decay", Map.of("num_training_steps", 100L), "stepwise.PerGroup",
			Map.of("schedulers", List.of(Map.of("type", "ConstantLR"))));

	/**
	 * Declared defaults the type computes from other arguments into the normalised spec,
	 * with the value they take in the minimal spec. (CyclicLR's step_size_down and
	 * OneCycleLR's total_steps are computed too, but the normalised spec keeps their
	 * declared null.)
	 */
	private static final Map<String, Map<String, Object>> COMPUTED = Map.of("inverse_sqrt", Map.of("timescale", 10L));

	static List<SchedulerType> types() {
		return SchedulerCatalogue.all();
	}

	@ParameterizedTest
	@MethodSource("types")
	void normalisesToTheDeclaredArgumentsInDeclaredOrder(SchedulerType type) {
		Map<String, Object> normalized = Schedule.of(minimalSpec(type), GROUPS).normalizedSpec();
		List<String> expected = new ArrayList<>();
		expected.add("type");
		expected.addAll(type.argumentNames());
		assertThat(new ArrayList<>(normalized.keySet())).isEqualTo(expected);
		assertThat(normalized.get("type")).isEqualTo(type.name());
	}

	@ParameterizedTest
	@MethodSource("types")
	void fillsInTheDeclaredDefaults(SchedulerType type) {
		Map<String, Object> spec = minimalSpec(type);
		Map<String, Object> normalized = Schedule.of(spec, GROUPS).normalizedSpec();
		Map<String, Object> computed = COMPUTED.getOrDefault(type.name(), Map.of());
		for (KeywordArgument argument : type.arguments()) {
			if (spec.containsKey(argument.name())) {
				continue;
			}
			assertThat(argument.required()).as(type.name() + "." + argument.name() + " is required").isFalse();
			Object expected = computed.containsKey(argument.name()) ? computed.get(argument.name())
					: argument.defaultValue();
			// equal as Java values: Long 5 is not Double 5.0, as 5 is not 5.0 in the JSON
			// shown to users
			assertThat(normalized.get(argument.name())).as(type.name() + "." + argument.name()).isEqualTo(expected);
		}
	}

	@Test
	void computedDefaultsAreDeclaredNull() {
		COMPUTED.forEach((type, arguments) -> arguments.keySet()
			.forEach((name) -> assertThat(
					SchedulerCatalogue.named(type).orElseThrow().argument(name).orElseThrow().defaultValue())
				.as(type + "." + name)
				.isNull()));
	}

	@Test
	void inverseSqrtTimescaleWithoutWarmupIsTenThousand() {
		Map<String, Object> spec = Map.of("type", "inverse_sqrt", "num_warmup_steps", 0L);
		assertThat(Schedule.of(spec, GROUPS).normalizedSpec()).containsEntry("timescale", 10_000L);
	}

	@Test
	void catalogueHoldsTheTorchTypesThenTheHuggingFaceOnesThenStepwisesOwn() {
		assertThat(SchedulerCatalogue.names()).containsExactly("LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR",
				"ConstantLR", "LinearLR", "ExponentialLR", "PolynomialLR", "CosineAnnealingLR",
				"CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR", "ReduceLROnPlateau", "SequentialLR",
				"ChainedScheduler", "constant", "constant_with_warmup", "linear", "cosine", "cosine_with_restarts",
				"polynomial", "inverse_sqrt", "reduce_lr_on_plateau", "cosine_with_min_lr", "cosine_warmup_with_min_lr",
				"warmup_stable_decay", "deepspeed.LRRangeTest", "deepspeed.OneCycle", "deepspeed.WarmupLR",
				"deepspeed.WarmupDecayLR", "deepspeed.WarmupCosineLR", "stepwise.WarmupPlateau", "stepwise.PerGroup",
				"stepwise.LRRangeTest");
		assertThat(SchedulerCatalogue.all()).extracting(SchedulerType::name).isEqualTo(SchedulerCatalogue.names());
		assertThat(SchedulerCatalogue.named("StepLR")).contains(StepLR.TYPE);
		assertThat(SchedulerCatalogue.named("steplr")).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("types")
	void engineBuildsEveryCataloguedType(SchedulerType type) {
		assertThat(Schedule.of(minimalSpec(type), GROUPS).type()).isEqualTo(type.name());
	}

	@Test
	void engineRefusesEveryOtherTypeNamingTheCatalogue() {
		assertThatExceptionOfType(InvalidScheduleException.class)
			.isThrownBy(() -> Schedule.of(Map.of("type", "CosineAnnealing"), GROUPS))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(Kind.MALFORMED);
				assertThat(ex.errors()).containsExactly(new FieldError("scheduler.type",
						"unknown scheduler type 'CosineAnnealing'; expected one of " + SchedulerCatalogue.names()));
			});
	}

	@Test
	void unexpectedArgumentsAreCheckedAgainstTheDeclaredNames() {
		assertThatExceptionOfType(InvalidScheduleException.class)
			.isThrownBy(() -> Schedule.of(Map.of("type", "StepLR", "step_size", 3L, "eta_min", 0.0), GROUPS))
			.satisfies((ex) -> assertThat(ex.errors()).containsExactly(new FieldError("scheduler.eta_min",
					"StepLR got an unexpected keyword argument 'eta_min'; it takes gamma, step_size")));
		assertThatExceptionOfType(InvalidScheduleException.class)
			.isThrownBy(() -> Schedule.of(Map.of("type", "constant", "num_warmup_steps", 3L), GROUPS))
			.satisfies((ex) -> assertThat(ex.errors()).containsExactly(new FieldError("scheduler.num_warmup_steps",
					"constant got an unexpected keyword argument 'num_warmup_steps'; it takes no arguments")));
	}

	@Test
	void readingAnUndeclaredArgumentIsAProgrammingError() {
		ArgumentReader reader = reader(Map.of("type", "StepLR", "step_size", 3L));
		assertThatIllegalStateException().isThrownBy(() -> reader.real("eta_min"))
			.withMessage("StepLR does not declare the argument 'eta_min'");
		assertThatIllegalStateException().isThrownBy(() -> reader.has("eta_min"));
		assertThatIllegalStateException().isThrownBy(() -> reader.put("eta_min", 0.0));
	}

	@Test
	void readingWithTheWrongKindIsAProgrammingError() {
		ArgumentReader reader = reader(Map.of("type", "StepLR", "step_size", 3L));
		assertThatIllegalStateException().isThrownBy(() -> reader.integer("gamma", false))
			.withMessage("StepLR.gamma is declared NUMBER, not INTEGER");
		assertThatIllegalStateException().isThrownBy(() -> reader.reals("gamma"));
	}

	@Test
	void aDeclaredDefaultCannotBeSkipped() {
		ArgumentReader reader = reader(Map.of("type", "StepLR", "step_size", 3L));
		assertThatIllegalStateException().isThrownBy(() -> reader.optionalReal("gamma"));
		assertThat(reader.real("gamma")).isEqualTo(0.1);
		ArgumentReader cyclic = reader(Map.of("type", "CyclicLR", "base_lr", 0.01, "max_lr", 0.1));
		assertThatIllegalStateException().isThrownBy(() -> cyclic.integer("step_size_down", false));
	}

	@Test
	void argumentsAreReadAfterTheType() {
		ArgumentReader reader = new ArgumentReader(Map.of("type", "StepLR", "step_size", 3L), "scheduler", 1, 0.1);
		assertThatIllegalStateException().isThrownBy(() -> reader.integer("step_size", false));
	}

	@Test
	void aTypeMustReadEveryDeclaredArgument() {
		ArgumentReader reader = reader(Map.of("type", "StepLR", "step_size", 3L));
		reader.integer("step_size", false);
		assertThatIllegalStateException().isThrownBy(reader::checkAllRead)
			.withMessage("StepLR read [step_size] but declares [step_size, gamma]");
	}

	@Test
	void declarationsCheckTheirDefaults() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> KeywordArgument.optional("total_iters", ArgumentKind.INTEGER, 5.0, "Steps."));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> KeywordArgument.choice("mode", "median", "Mode.", "min", "max"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new KeywordArgument("gamma", ArgumentKind.NUMBER, List.of(), true, 0.1, "Factor."));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SchedulerType.torch("StepLR", "Twice.", "twice", StepLR.GAMMA, StepLR.GAMMA));
	}

	private static ArgumentReader reader(Map<String, ?> spec) {
		ArgumentReader reader = new ArgumentReader(spec, "scheduler", 1, 0.1);
		reader.type();
		return reader;
	}

	private static Map<String, Object> minimalSpec(SchedulerType type) {
		Map<String, Object> spec = new LinkedHashMap<>();
		spec.put("type", type.name());
		for (KeywordArgument argument : type.arguments()) {
			if (argument.required()) {
				assertThat(SAMPLES).as("a sample value for " + argument.name()).containsKey(argument.name());
				spec.put(argument.name(), SAMPLES.get(argument.name()));
			}
		}
		spec.putAll(ONE_OF.getOrDefault(type.name(), Map.of()));
		return spec;
	}

}
