package dev.stepwise;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.KeywordArgument;
import dev.stepwise.schedule.SchedulerCatalogue;
import dev.stepwise.schedule.SchedulerType;

/**
 * Renders the README's scheduler table from the engine's catalogue: type, arguments with
 * their defaults as JSON values, and what the lr does.
 */
final class SchedulerTable {

	static final String HEADER = "| `type` | arguments (defaults) | what the lr does |";

	private SchedulerTable() {
	}

	/** The table, one line per type, each line ending with a newline. */
	static String render() {
		StringBuilder table = new StringBuilder(HEADER).append("\n|---|---|---|\n");
		for (SchedulerType type : SchedulerCatalogue.all()) {
			table.append("| `")
				.append(type.name())
				.append("` | ")
				.append(arguments(type.arguments()))
				.append(" | ")
				.append(type.summary())
				.append(" |\n");
		}
		return table.toString();
	}

	private static String arguments(List<KeywordArgument> arguments) {
		if (arguments.isEmpty()) {
			return "none";
		}
		return arguments.stream()
			.map((argument) -> "`" + argument.name() + (argument.required() ? "" : "=" + value(argument.defaultValue()))
					+ "`")
			.collect(Collectors.joining(", "));
	}

	/**
	 * A default as the JSON a user would send: short decimals ({@code 0.0001},
	 * {@code 1e-8}).
	 */
	static String value(@Nullable Object value) {
		if (value == null) {
			return "null";
		}
		if (value instanceof String text) {
			return "\"" + text + "\"";
		}
		if (value instanceof Double number) {
			String text = number.toString();
			return text.contains("E") ? BigDecimal.valueOf(number).stripTrailingZeros().toString().replace('E', 'e')
					: text;
		}
		return value.toString();
	}

}
