package dev.stepwise.scheduler.web;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.stepwise.schedule.KeywordArgument;
import dev.stepwise.schedule.SchedulerCatalogue;
import dev.stepwise.schedule.SchedulerType;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.Schema;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI schema of every scheduler type is its declaration in the engine's
 * catalogue.
 */
class SchedulerSpecSchemasTests {

	private static final Components COMPONENTS = new Components();

	static {
		SchedulerSpecSchemas.addTo(COMPONENTS);
	}

	static List<SchedulerType> types() {
		return SchedulerCatalogue.all();
	}

	@ParameterizedTest
	@MethodSource("types")
	void offersTokensAndSamplesExactlyWhereTheTypeTakesUnits(SchedulerType type) {
		List<Object> units = List.copyOf(schema(type).getProperties().get("unit").getEnum());
		if (type.takesUnits()) {
			assertThat(units).containsExactly("steps", "tokens", "samples");
		}
		else {
			assertThat(units).containsExactly("steps");
		}
	}

	@ParameterizedTest
	@MethodSource("types")
	void listsExactlyTheDeclaredArguments(SchedulerType type) {
		Schema<?> schema = schema(type);
		List<String> expected = new ArrayList<>();
		expected.add("type");
		expected.addAll(type.argumentNames());
		expected.add("unit");
		assertThat(new ArrayList<>(schema.getProperties().keySet())).isEqualTo(expected);
		assertThat(schema.getProperties().get("type").getEnum()).containsExactly(type.name());
		Set<String> required = new HashSet<>(Set.of("type"));
		type.arguments()
			.stream()
			.filter(KeywordArgument::required)
			.forEach((argument) -> required.add(argument.name()));
		assertThat(schema.getRequired()).containsExactlyInAnyOrderElementsOf(required);
		assertThat(schema.getAdditionalProperties()).isEqualTo(Boolean.FALSE);
		assertThat(schema.getDescription()).isEqualTo(type.description());
	}

	@ParameterizedTest
	@MethodSource("types")
	void givesTheDeclaredDefaults(SchedulerType type) {
		Schema<?> schema = schema(type);
		for (KeywordArgument argument : type.arguments()) {
			Schema<?> property = schema.getProperties().get(argument.name());
			assertThat(sameValue(property.getDefault(), argument.defaultValue()))
				.as(type.name() + "." + argument.name() + ": default " + property.getDefault() + ", declared "
						+ argument.defaultValue())
				.isTrue();
			assertThat(property.getDescription()).as(type.name() + "." + argument.name())
				.startsWith(argument.meaning());
			if (argument.required()) {
				assertThat(property.getDescription()).endsWith(" Required.");
			}
			else {
				assertThat(property.getDescription()).endsWith(" Default: " + argument.defaultValue() + ".");
				assertThat(property.getNullable()).as(type.name() + "." + argument.name() + " nullable")
					.isEqualTo((argument.defaultValue() == null) ? Boolean.TRUE : null);
			}
			if (!argument.choices().isEmpty()) {
				assertThat(property.getEnum()).as(type.name() + "." + argument.name()).isEqualTo(argument.choices());
			}
		}
	}

	@Test
	void specIsOneOfEveryTypeInCatalogueOrder() {
		Schema<?> spec = COMPONENTS.getSchemas().get(SchedulerSpecSchemas.SPEC);
		List<String> refs = SchedulerCatalogue.names()
			.stream()
			.map((name) -> "#/components/schemas/SchedulerSpec." + name)
			.toList();
		assertThat(spec.getOneOf()).extracting(Schema::get$ref).isEqualTo(refs);
		assertThat(new ArrayList<>(spec.getDiscriminator().getMapping().keySet()))
			.isEqualTo(SchedulerCatalogue.names());
		assertThat(spec.getDiscriminator().getPropertyName()).isEqualTo("type");
	}

	/**
	 * The schemas hold number defaults as BigDecimal, Double or Integer: compare values,
	 * ints with ints.
	 */
	private static boolean sameValue(@Nullable Object schemaDefault, @Nullable Object declared) {
		if (schemaDefault instanceof Number actual && declared instanceof Number expected) {
			boolean decimal = actual instanceof BigDecimal || actual instanceof Double;
			boolean bothIntegers = !decimal && expected instanceof Long;
			boolean bothDecimals = decimal && expected instanceof Double;
			return (bothIntegers || bothDecimals)
					&& new BigDecimal(actual.toString()).compareTo(new BigDecimal(expected.toString())) == 0;
		}
		return Objects.equals(schemaDefault, declared);
	}

	private static Schema<?> schema(SchedulerType type) {
		Schema<?> schema = COMPONENTS.getSchemas().get("SchedulerSpec." + type.name());
		assertThat(schema).as(type.name()).isNotNull();
		return schema;
	}

}
