package dev.stepwise.scheduler.web;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.schedule.KeywordArgument;
import dev.stepwise.schedule.SchedulerType;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * Every scheduler type the API takes, with the arguments it validates, straight from the
 * engine's catalogue: what a form needs to offer them.
 *
 * @param types the types, PyTorch's, then Hugging Face's, then DeepSpeed's
 */
@Schema(name = "SchedulerTypes",
		description = "Every scheduler type the API takes, with its keyword arguments as the API validates them.")
record SchedulerTypesResponse(List<TypeItem> types) {

	static SchedulerTypesResponse of(List<SchedulerType> catalogue) {
		return new SchedulerTypesResponse(catalogue.stream().map(TypeItem::of).toList());
	}

	/**
	 * One type.
	 *
	 * @param name the value of {@code type}
	 * @param summary what the lr does, one line of Markdown
	 * @param description what it does, naming the PyTorch class, Hugging Face function or
	 * DeepSpeed class
	 * @param arguments its keyword arguments, in the order of the normalised spec
	 */
	@Schema(name = "SchedulerTypeDescription", description = "A scheduler type and its keyword arguments.")
	record TypeItem(@Schema(example = "OneCycleLR") String name,
			@Schema(description = "What the lr does, one line of Markdown.") String summary,
			@Schema(description = "What it does, naming the PyTorch class, Hugging Face function or DeepSpeed class.") String description,
			List<ArgumentItem> arguments) {

		static TypeItem of(SchedulerType type) {
			return new TypeItem(type.name(), type.summary(), type.description(),
					type.arguments().stream().map(ArgumentItem::of).toList());
		}

	}

	/**
	 * One keyword argument.
	 *
	 * @param name the keyword
	 * @param kind its JSON shape
	 * @param required whether it must be given
	 * @param defaultValue its default, {@code null} for Python's None or a computed one
	 * @param choices the allowed strings of an enum argument, else empty
	 * @param meaning what it means
	 */
	@Schema(name = "SchedulerArgument", description = "A keyword argument of a scheduler type.")
	record ArgumentItem(@Schema(example = "max_lr") String name,
			@Schema(description = "Its JSON shape: number, integer, boolean, enum (one of choices), number_or_list"
					+ " (a number or one per param group), expression (a Python expression over epoch, or x for"
					+ " scale_fn), expression_or_list, integer_list, schedulers (nested specs).",
					example = "number_or_list") String kind,
			boolean required,
			@Schema(description = "The default, as the normalised spec holds it; null for Python's None, for a"
					+ " default computed from other arguments, and for a required argument.",
					nullable = true) @JsonProperty("default") @Nullable Object defaultValue,
			@Schema(description = "The allowed strings of an enum argument; empty otherwise.") List<String> choices,
			@Schema(description = "What it means.") String meaning) {

		static ArgumentItem of(KeywordArgument argument) {
			return new ArgumentItem(argument.name(), argument.kind().name().toLowerCase(Locale.ROOT),
					argument.required(), argument.defaultValue(), argument.choices(), argument.meaning());
		}

	}

}
