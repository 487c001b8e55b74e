package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.InvalidScheduleException.Kind;

/**
 * Reads one scheduler's keyword arguments from a plain-Java JSON object the way Python
 * binds them: unknown names and wrong types are {@code TypeError}s (MALFORMED), bad
 * values are {@code ValueError}s (INVALID). Records every value it hands out, defaults
 * included, so the normalised spec comes for free.
 * <p>
 * Checked against the type's {@link SchedulerType} declaration: defaults come from it,
 * and reading an argument the type did not declare, or with a method that does not match
 * its kind, is a programming error ({@link IllegalStateException}), so the catalogue
 * cannot drift from the engine.
 */
final class ArgumentReader {

	private final Map<String, ?> values;

	private final String path;

	private final int groups;

	private final double firstLr;

	private final Map<String, @Nullable Object> normalized = new LinkedHashMap<>();

	private @Nullable SchedulerType declared;

	/** The characters of the expressions read so far, nested schedulers' included. */
	private final long[] expressionCharacters;

	ArgumentReader(Map<String, ?> values, String path, int groups, double firstLr) {
		this(values, path, groups, firstLr, new long[1]);
	}

	private ArgumentReader(Map<String, ?> values, String path, int groups, double firstLr,
			long[] expressionCharacters) {
		this.values = values;
		this.path = path;
		this.groups = groups;
		this.firstLr = firstLr;
		this.expressionCharacters = expressionCharacters;
	}

	/**
	 * The first group's registered lr: Hugging Face's {@code optimizer.defaults["lr"]}.
	 */
	double firstLr() {
		return this.firstLr;
	}

	/** The number of param groups the scheduler is built for. */
	int groups() {
		return this.groups;
	}

	/** The path of an argument, for error messages. */
	String field(String name) {
		return this.path + "." + name;
	}

	/**
	 * Reads {@code type} and looks it up in the catalogue; the arguments are read against
	 * it from then on.
	 */
	SchedulerType type() {
		Object type = this.values.get("type");
		if (type == null) {
			throw malformed("type", "is required: one of " + SchedulerCatalogue.names());
		}
		if (!(type instanceof String name)) {
			throw malformed("type", "must be a string");
		}
		this.normalized.put("type", name);
		SchedulerType found = SchedulerCatalogue.named(name)
			.orElseThrow(() -> malformed("type",
					"unknown scheduler type '" + name + "'; expected one of " + SchedulerCatalogue.names()));
		this.declared = found;
		return found;
	}

	/** The type read by {@link #type()}. */
	SchedulerType declaredType() {
		SchedulerType type = this.declared;
		if (type == null) {
			throw new IllegalStateException("The type of " + this.path + " has not been read");
		}
		return type;
	}

	/** Whether a value other than null was given. */
	boolean has(String name) {
		declaration(name);
		return this.values.get(name) != null;
	}

	/** Whether the type declares the argument required. */
	boolean required(String name) {
		return declaration(name).required();
	}

	/**
	 * An int argument, else its declared default; {@code strict} where PyTorch checks
	 * {@code isinstance(x, int)} (so 2.0 is rejected).
	 */
	long integer(String name, boolean strict) {
		KeywordArgument argument = declaration(name, ArgumentKind.INTEGER);
		Long value = given(name, (raw) -> asInteger(name, raw, strict));
		if (value == null) {
			value = (Long) defaultOf(argument);
		}
		return remember(name, value);
	}

	/** An int argument whose default is null: the value given, or null. */
	@Nullable Long optionalInteger(String name, boolean strict) {
		nullDefault(declaration(name, ArgumentKind.INTEGER));
		return remember(name, given(name, (raw) -> asInteger(name, raw, strict)));
	}

	private Long asInteger(String name, Object value, boolean strict) {
		if (value instanceof Long || value instanceof Integer || value instanceof Short) {
			return ((Number) value).longValue();
		}
		if (value instanceof Double d) {
			if (strict || !Double.isFinite(d) || d != Math.rint(d) || Math.abs(d) > 1e15) {
				throw invalid(name, "must be an integer, got " + d);
			}
			return (long) (double) d;
		}
		throw malformed(name, "must be an integer");
	}

	/**
	 * A float argument, else its declared default; Python takes ints for floats, never
	 * booleans or strings.
	 */
	double real(String name) {
		KeywordArgument argument = declaration(name, ArgumentKind.NUMBER);
		Double value = given(name, (raw) -> asReal(name, raw));
		if (value == null) {
			value = (Double) defaultOf(argument);
		}
		return remember(name, value);
	}

	/** A float argument whose default is null: the value given, or null. */
	@Nullable Double optionalReal(String name) {
		nullDefault(declaration(name, ArgumentKind.NUMBER));
		return remember(name, given(name, (raw) -> asReal(name, raw)));
	}

	/**
	 * A float argument whose default is not None but which takes None, as Lightning's
	 * {@code early_stop_threshold: Optional[float] = 4.0}: the value given, null for an
	 * explicit null, else the declared default.
	 */
	@Nullable Double realOrNone(String name) {
		declaration(name, ArgumentKind.NUMBER);
		if (this.values.containsKey(name) && this.values.get(name) == null) {
			return remember(name, null);
		}
		return real(name);
	}

	/**
	 * The given value of a numeric argument as a float, to say what was wrong with it;
	 * not recorded.
	 */
	double givenReal(String name) {
		declaration(name);
		Object value = this.values.get(name);
		if (value == null) {
			throw new IllegalStateException(name + " was not given");
		}
		return asReal(name, value);
	}

	/**
	 * Whether the JSON number was written as an int ({@code 1}) rather than a float
	 * ({@code 1.0}).
	 */
	boolean isInteger(String name) {
		declaration(name);
		Object value = this.values.get(name);
		return value instanceof Long || value instanceof Integer || value instanceof Short;
	}

	private double asReal(String field, Object value) {
		if (!(value instanceof Number number) || value instanceof Byte) {
			throw malformed(field, "must be a number");
		}
		double result = number.doubleValue();
		if (!Double.isFinite(result)) {
			throw invalid(field, "must be a finite number, got " + value);
		}
		return result;
	}

	/**
	 * A float or a list of floats with one entry per param group, as PyTorch's
	 * {@code _format_param}.
	 */
	double[] reals(String name) {
		KeywordArgument argument = declaration(name, ArgumentKind.NUMBER_OR_LIST);
		Object value = this.values.get(name);
		if (value == null) {
			Double defaultValue = (Double) defaultOf(argument);
			this.normalized.put(name, defaultValue);
			return filled(defaultValue);
		}
		if (value instanceof List<?> list) {
			if (list.size() != this.groups) {
				throw invalid(name, name + " must have the same length as optimizer.param_groups. " + name + " has "
						+ list.size() + " values, param_groups has " + this.groups + ".");
			}
			double[] result = new double[list.size()];
			List<Double> copy = new ArrayList<>(list.size());
			for (int i = 0; i < result.length; i++) {
				Object item = list.get(i);
				if (item == null) {
					throw malformed(name + "[" + i + "]", "must be a number");
				}
				result[i] = asReal(name + "[" + i + "]", item);
				copy.add(result[i]);
			}
			this.normalized.put(name, copy);
			return result;
		}
		double scalar = asReal(name, value);
		this.normalized.put(name, scalar);
		return filled(scalar);
	}

	private double[] filled(double value) {
		double[] result = new double[this.groups];
		java.util.Arrays.fill(result, value);
		return result;
	}

	/** A required list of ints, such as milestones. */
	long[] integers(String name) {
		nullDefault(declaration(name, ArgumentKind.INTEGER_LIST));
		Object value = this.values.get(name);
		if (value == null) {
			throw missing(name);
		}
		if (!(value instanceof List<?> list)) {
			throw malformed(name, "must be a list of integers");
		}
		if (list.size() > Schedule.MAX_LIST_ENTRIES) {
			throw invalid(name, "has more than " + Schedule.MAX_LIST_ENTRIES + " entries");
		}
		long[] result = new long[list.size()];
		List<Long> copy = new ArrayList<>(list.size());
		for (int i = 0; i < result.length; i++) {
			Object item = list.get(i);
			if (item == null) {
				throw malformed(name + "[" + i + "]", "must be an integer");
			}
			result[i] = asInteger(name + "[" + i + "]", item, false);
			copy.add(result[i]);
		}
		this.normalized.put(name, copy);
		return result;
	}

	/**
	 * One of a few strings, else its declared default. Any string is taken: the type
	 * refuses the others with PyTorch's own message.
	 */
	String string(String name) {
		KeywordArgument argument = declaration(name, ArgumentKind.ENUM);
		String value = given(name, (raw) -> text(name, raw));
		return remember(name, (value != null) ? value : (String) defaultOf(argument));
	}

	/** An expression whose default is null: the source given, or null. */
	@Nullable String optionalExpression(String name) {
		nullDefault(declaration(name, ArgumentKind.EXPRESSION));
		return remember(name, given(name, (raw) -> text(name, raw)));
	}

	private String text(String name, Object value) {
		if (!(value instanceof String text)) {
			throw malformed(name, "must be a string");
		}
		return text;
	}

	/**
	 * A boolean argument, else its declared default; Python's truthiness is not applied.
	 */
	boolean bool(String name) {
		KeywordArgument argument = declaration(name, ArgumentKind.BOOLEAN);
		Object value = this.values.get(name);
		if (value == null) {
			return remember(name, (Boolean) defaultOf(argument));
		}
		if (!(value instanceof Boolean flag)) {
			throw malformed(name, "must be true or false");
		}
		return remember(name, flag);
	}

	/**
	 * A required expression or a list of them, one per group; the raw JSON is kept for
	 * the normalised spec.
	 */
	List<String> expressions(String name) {
		nullDefault(declaration(name, ArgumentKind.EXPRESSION_OR_LIST));
		Object value = this.values.get(name);
		if (value == null) {
			throw missing(name);
		}
		if (value instanceof String text) {
			countExpression(name, text);
			this.normalized.put(name, text);
			return List.of(text);
		}
		if (!(value instanceof List<?> list) || list.isEmpty()) {
			throw malformed(name, "must be a string or a list of strings");
		}
		if (list.size() != this.groups) {
			throw invalid(name, "Expected " + this.groups + " lr_lambdas, but got " + list.size());
		}
		List<String> result = new ArrayList<>(list.size());
		for (int i = 0; i < list.size(); i++) {
			if (!(list.get(i) instanceof String text)) {
				throw malformed(name + "[" + i + "]", "must be a string");
			}
			countExpression(name, text);
			result.add(text);
		}
		this.normalized.put(name, List.copyOf(result));
		return result;
	}

	/** Counts {@code text} against {@link Schedule#MAX_EXPRESSION_CHARACTERS}. */
	private void countExpression(String name, String text) {
		long characters = this.expressionCharacters[0] + text.length();
		if (characters > Schedule.MAX_EXPRESSION_CHARACTERS) {
			throw invalid(name, "the expressions of one scheduler (nested ones included) must not exceed "
					+ Schedule.MAX_EXPRESSION_CHARACTERS + " characters in all; these reach " + characters);
		}
		this.expressionCharacters[0] = characters;
	}

	/**
	 * The nested scheduler objects of SequentialLR and ChainedScheduler; recorded by
	 * {@link #put} once they are read.
	 */
	List<ArgumentReader> schedulers(String name) {
		List<?> list = schedulerList(name);
		if (list.size() > Schedule.MAX_CHILDREN) {
			throw invalid(name, "has more than " + Schedule.MAX_CHILDREN + " schedulers");
		}
		List<ArgumentReader> result = new ArrayList<>(list.size());
		for (int i = 0; i < list.size(); i++) {
			result.add(child(name, list, i, this.groups, this.firstLr));
		}
		return result;
	}

	/**
	 * The nested scheduler objects of stepwise.PerGroup, one per param group, each read
	 * for that group alone ({@code firstLr}, Hugging Face's {@code defaults["lr"]}, is
	 * the group's lr, as for an optimizer of that group).
	 * @param name the argument
	 * @param lrs the registered lr of every group
	 */
	List<ArgumentReader> schedulersPerGroup(String name, double[] lrs) {
		List<?> list = schedulerList(name);
		if (list.size() != this.groups) {
			throw invalid(name, declaredType().name() + " takes one scheduler per param group: got " + list.size()
					+ " schedulers for " + this.groups + " param groups");
		}
		List<ArgumentReader> result = new ArrayList<>(list.size());
		for (int i = 0; i < list.size(); i++) {
			result.add(child(name, list, i, 1, lrs[i]));
		}
		return result;
	}

	private List<?> schedulerList(String name) {
		nullDefault(declaration(name, ArgumentKind.SCHEDULERS));
		Object value = this.values.get(name);
		if (value == null) {
			throw missing(name);
		}
		if (!(value instanceof List<?> list)) {
			throw malformed(name, "must be a list of scheduler objects");
		}
		return list;
	}

	private ArgumentReader child(String name, List<?> list, int i, int groups, double firstLr) {
		if (!(list.get(i) instanceof Map<?, ?> child)) {
			throw malformed(name + "[" + i + "]", "must be a scheduler object");
		}
		@SuppressWarnings("unchecked")
		Map<String, ?> typed = (Map<String, ?>) child;
		return new ArgumentReader(typed, field(name) + "[" + i + "]", groups, firstLr, this.expressionCharacters);
	}

	/**
	 * Records a value in the normalised spec as given (for nested specs and computed
	 * defaults).
	 */
	void put(String name, @Nullable Object value) {
		declaration(name);
		this.normalized.put(name, value);
	}

	/** The arguments with every default filled in, in the declared order. */
	Map<String, @Nullable Object> normalized() {
		return this.normalized;
	}

	/**
	 * Rejects every argument the type does not declare, as Python rejects unexpected
	 * keyword arguments.
	 */
	void rejectUnknown() {
		SchedulerType type = declaredType();
		Set<String> known = new TreeSet<>(type.argumentNames());
		Set<String> unknown = new TreeSet<>(this.values.keySet());
		unknown.removeAll(known);
		unknown.remove("type");
		if (unknown.isEmpty()) {
			return;
		}
		List<FieldError> errors = new ArrayList<>();
		for (String name : unknown) {
			String suggestion = known.stream()
				.filter((candidate) -> isNearMiss(name, candidate))
				.findFirst()
				.map((candidate) -> "; did you mean '" + candidate + "'?")
				.orElse("; it takes " + (known.isEmpty() ? "no arguments" : String.join(", ", known)));
			errors.add(new FieldError(field(name),
					type.name() + " got an unexpected keyword argument '" + name + "'" + suggestion));
		}
		throw new InvalidScheduleException(Kind.MALFORMED, errors);
	}

	/**
	 * Checks that the type read every argument it declares, and in the declared order.
	 */
	void checkAllRead() {
		SchedulerType type = declaredType();
		List<String> read = this.normalized.keySet().stream().filter((name) -> !name.equals("type")).toList();
		if (!read.equals(type.argumentNames())) {
			throw new IllegalStateException(type.name() + " read " + read + " but declares " + type.argumentNames());
		}
	}

	InvalidScheduleException invalid(String name, String message) {
		return new InvalidScheduleException(Kind.INVALID, field(name), message);
	}

	InvalidScheduleException malformed(String name, String message) {
		return new InvalidScheduleException(Kind.MALFORMED, field(name), message);
	}

	/**
	 * A missing argument, or rather the misspelling of it the caller sent (Python would
	 * name that one).
	 */
	private InvalidScheduleException missing(String name) {
		for (String key : this.values.keySet()) {
			if (!this.normalized.containsKey(key) && isNearMiss(key, name)) {
				return malformed(key, "unexpected keyword argument '" + key + "'; did you mean '" + name + "'?");
			}
		}
		return malformed(name, "is required");
	}

	/** The declaration of an argument of the type being read. */
	private KeywordArgument declaration(String name) {
		SchedulerType type = declaredType();
		return type.argument(name)
			.orElseThrow(
					() -> new IllegalStateException(type.name() + " does not declare the argument '" + name + "'"));
	}

	/**
	 * The declaration, which must be of {@code kind}: each reader method reads one JSON
	 * shape.
	 */
	private KeywordArgument declaration(String name, ArgumentKind kind) {
		KeywordArgument argument = declaration(name);
		if (argument.kind() != kind) {
			throw new IllegalStateException(
					declaredType().name() + "." + name + " is declared " + argument.kind() + ", not " + kind);
		}
		return argument;
	}

	/**
	 * The declared default, or the "is required" error when there is none because the
	 * argument is required; an explicit JSON null for an argument whose default is not
	 * {@code None} is a {@code TypeError} (MALFORMED), not the default.
	 */
	private Object defaultOf(KeywordArgument argument) {
		if (argument.required()) {
			throw missing(argument.name());
		}
		Object value = argument.defaultValue();
		if (value == null) {
			throw new IllegalStateException(
					declaredType().name() + "." + argument.name() + " has no default: read it with an optional reader");
		}
		if (this.values.containsKey(argument.name())) {
			// an explicit null: Python binds None, not the default, and the scheduler
			// raises TypeError on it (at construction or at some step)
			throw malformed(argument.name(), "must be " + expected(argument.kind()) + ", not null");
		}
		return value;
	}

	/** What a value of the kind must be, for the error on an explicit null. */
	private static String expected(ArgumentKind kind) {
		return switch (kind) {
			case NUMBER -> "a number";
			case NUMBER_OR_LIST -> "a number or a list of numbers";
			case INTEGER -> "an integer";
			case BOOLEAN -> "true or false";
			case ENUM, EXPRESSION -> "a string";
			case EXPRESSION_OR_LIST -> "a string or a list of strings";
			case INTEGER_LIST -> "a list of integers";
			case SCHEDULERS -> "a list of scheduler objects";
		};
	}

	/** Checks that reading the argument as "given or null" loses no declared default. */
	private void nullDefault(KeywordArgument argument) {
		if (argument.defaultValue() != null) {
			throw new IllegalStateException(declaredType().name() + "." + argument.name() + " has the default "
					+ argument.defaultValue() + ": read it with a defaulting reader");
		}
	}

	/**
	 * The converted value given for {@code name}, or null when none (or JSON null) was
	 * given.
	 */
	private <T> @Nullable T given(String name, Function<Object, T> converter) {
		Object value = this.values.get(name);
		return (value != null) ? converter.apply(value) : null;
	}

	/** Whether two names are at most two single-character edits apart. */
	static boolean isNearMiss(String a, String b) {
		if (a.equals(b) || Math.abs(a.length() - b.length()) > 2) {
			return false;
		}
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()] <= 2;
	}

	private <T extends @Nullable Object> T remember(String name, T value) {
		this.normalized.put(name, value);
		return value;
	}

}
