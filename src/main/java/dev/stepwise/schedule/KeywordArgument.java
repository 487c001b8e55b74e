package dev.stepwise.schedule;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One keyword argument of a scheduler type, as PyTorch's (or Hugging Face's) signature
 * declares it.
 *
 * @param name the keyword
 * @param kind its JSON shape
 * @param choices the allowed strings of an {@link ArgumentKind#ENUM}, else empty
 * @param required whether it must be given
 * @param defaultValue its default when optional, in the form the normalised spec holds it
 * ({@code Double}, {@code Long}, {@code Boolean} or {@code String}); {@code null} for
 * Python's {@code None}, or for a default the type computes from other arguments
 * @param meaning what it means, one or two sentences
 */
public record KeywordArgument(String name, ArgumentKind kind, List<String> choices, boolean required,
		@Nullable Object defaultValue, String meaning) {

	/** The end of the meaning of every per-group argument. */
	static final String PER_GROUP = " A number for every group or a list with one per group.";

	/**
	 * Checks that the default fits the kind, so the normalised spec and the documentation
	 * agree.
	 */
	public KeywordArgument {
		choices = List.copyOf(choices);
		if ((kind == ArgumentKind.ENUM) == choices.isEmpty()) {
			throw new IllegalArgumentException(name + ": choices are for ENUM arguments, and only for them");
		}
		if (required && defaultValue != null) {
			throw new IllegalArgumentException(name + ": a required argument has no default");
		}
		if (defaultValue != null && !fits(kind, choices, defaultValue)) {
			throw new IllegalArgumentException(name + ": default " + defaultValue + " is not a " + kind);
		}
	}

	static KeywordArgument required(String name, ArgumentKind kind, String meaning) {
		return new KeywordArgument(name, kind, List.of(), true, null, meaning);
	}

	static KeywordArgument optional(String name, ArgumentKind kind, @Nullable Object defaultValue, String meaning) {
		return new KeywordArgument(name, kind, List.of(), false, defaultValue, meaning);
	}

	/** An optional string argument that takes one of {@code choices}. */
	static KeywordArgument choice(String name, String defaultValue, String meaning, String... choices) {
		return new KeywordArgument(name, ArgumentKind.ENUM, List.of(choices), false, defaultValue, meaning);
	}

	private static boolean fits(ArgumentKind kind, List<String> choices, Object value) {
		return switch (kind) {
			case NUMBER, NUMBER_OR_LIST -> value instanceof Double;
			case INTEGER -> value instanceof Long;
			case BOOLEAN -> value instanceof Boolean;
			case ENUM -> choices.contains(value);
			case EXPRESSION, EXPRESSION_OR_LIST, INTEGER_LIST, SCHEDULERS -> false;
		};
	}

}
