package dev.stepwise.scheduler.web;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stepwise.schedule.ArgumentKind;
import dev.stepwise.schedule.KeywordArgument;
import dev.stepwise.schedule.SchedulerCatalogue;
import dev.stepwise.schedule.ScheduleUnit;
import dev.stepwise.schedule.SchedulerType;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.Discriminator;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;

/**
 * Builds the OpenAPI schemas of the scheduler spec from the engine's
 * {@link SchedulerCatalogue}: {@code SchedulerSpec} is a {@code oneOf} over one schema
 * per type, with {@code type} as discriminator.
 */
final class SchedulerSpecSchemas {

	/** The name of the spec's schema. */
	public static final String SPEC = "SchedulerSpec";

	private static final String PREFIX = "SchedulerSpec.";

	private static final String EXPRESSION = "A Python expression in one variable (epoch for lr_lambda, x for"
			+ " scale_fn): numbers, + - * / // % **, unary minus, parentheses, comparisons, a if cond else b,"
			+ " min max abs exp log sqrt sin cos tan floor ceil, pi, e. Nothing else is evaluated.";

	private SchedulerSpecSchemas() {
	}

	/** Adds {@code SchedulerSpec} and the schema of every type to {@code components}. */
	static void addTo(Components components) {
		Map<String, String> mapping = new LinkedHashMap<>();
		ComposedSchema spec = new ComposedSchema();
		for (SchedulerType type : SchedulerCatalogue.all()) {
			String ref = "#/components/schemas/" + PREFIX + type.name();
			mapping.put(type.name(), ref);
			spec.addOneOfItem(new Schema<>().$ref(ref));
			components.addSchemas(PREFIX + type.name(), typeSchema(type));
		}
		spec.discriminator(new Discriminator().propertyName("type").mapping(mapping));
		spec.description("The scheduler: type is a torch.optim.lr_scheduler class name or a Hugging Face schedule"
				+ " name (or deepspeed.<class> for DeepSpeed's lr_schedules, with its config's params); the other keys are its keyword arguments, with PyTorch's / Hugging Face's defaults. An"
				+ " unknown type or argument is 400 (PyTorch's TypeError), a value PyTorch refuses 422 (its"
				+ " ValueError). JSON integers and decimals stay apart, as int and float in Python (pct_start=1 is"
				+ " refused, 1.0 taken). Arguments must be finite numbers.");
		components.addSchemas(SPEC, spec);
	}

	private static Schema<?> typeSchema(SchedulerType type) {
		ObjectSchema schema = new ObjectSchema();
		schema.description(type.description());
		schema.addProperty("type", new StringSchema()._enum(List.of(type.name())));
		schema.addRequiredItem("type");
		for (KeywordArgument argument : type.arguments()) {
			schema.addProperty(argument.name(), argumentSchema(argument));
			if (argument.required()) {
				schema.addRequiredItem(argument.name());
			}
		}
		schema.addProperty("unit", unitSchema(type));
		schema.additionalProperties(Boolean.FALSE);
		return schema;
	}

	/**
	 * {@code unit}: what the schedule's position counts; tokens and samples only where
	 * the type {@link SchedulerType#takesUnits() takes units}.
	 */
	private static Schema<?> unitSchema(SchedulerType type) {
		if (!type.takesUnits()) {
			return new StringSchema()._enum(List.of(ScheduleUnit.STEPS.jsonName()))
				._default(ScheduleUnit.STEPS.jsonName())
				.description("What the position counts: steps only (" + type.name()
						+ " has no closed form in its position, so tokens and samples are 422).");
		}
		return new StringSchema()._enum(Arrays.stream(ScheduleUnit.values()).map(ScheduleUnit::jsonName).toList())
			._default(ScheduleUnit.STEPS.jsonName())
			.description("What the position counts. steps: step() calls, as PyTorch. tokens or samples: every step"
					+ " posts how many it consumed (consumed), and the lr is this closed form at the total consumed"
					+ " so far; the step counts among the arguments (num_warmup_steps, num_training_steps, ...) are"
					+ " then in that unit. Default: steps.");
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static Schema<?> argumentSchema(KeywordArgument argument) {
		Schema schema = shape(argument);
		String text = argument.meaning();
		if (argument.kind() == ArgumentKind.EXPRESSION || argument.kind() == ArgumentKind.EXPRESSION_OR_LIST) {
			text += " " + EXPRESSION;
		}
		if (argument.required()) {
			text += " Required.";
		}
		else if (argument.defaultValue() == null) {
			text += " Default: null.";
			schema.nullable(true);
		}
		else {
			text += " Default: " + argument.defaultValue() + ".";
			schema.setDefault(argument.defaultValue());
		}
		return schema.description(text);
	}

	private static Schema<?> shape(KeywordArgument argument) {
		return switch (argument.kind()) {
			case NUMBER -> new NumberSchema();
			case INTEGER -> new IntegerSchema().format("int64");
			case BOOLEAN -> new BooleanSchema();
			case ENUM -> new StringSchema()._enum(argument.choices());
			case EXPRESSION -> new StringSchema();
			case INTEGER_LIST -> new ArraySchema().items(new IntegerSchema().format("int64"));
			case SCHEDULERS -> new ArraySchema().items(new Schema<>().$ref("#/components/schemas/" + SPEC)).minItems(1);
			case NUMBER_OR_LIST -> new ComposedSchema().addOneOfItem(new NumberSchema())
				.addOneOfItem(new ArraySchema().items(new NumberSchema()));
			case EXPRESSION_OR_LIST -> new ComposedSchema().addOneOfItem(new StringSchema())
				.addOneOfItem(new ArraySchema().items(new StringSchema()));
		};
	}

}
