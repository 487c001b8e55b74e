package dev.stepwise.schedule.expression;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Checks {@link Expression} against CPython's own results, recorded in
 * {@code expression/python-cases.tsv} by evaluating each case with
 * {@code /usr/bin/python3}: {@code src/test/python/expression_cases.py} writes the file
 * ({@code --check} compares it).
 */
class ExpressionPythonCasesTest {

	private static final String RESOURCE = "/expression/python-cases.tsv";

	/** Python exceptions that the parser must raise instead, before any evaluation. */
	private static final Set<String> PARSE_ERRORS = Set.of("SyntaxError", "IndentationError", "NameError", "TypeError");

	/** Python exceptions that evaluation must raise, with the same class and message. */
	private static final Set<String> EVALUATION_ERRORS = Set.of("ZeroDivisionError", "OverflowError", "ValueError");

	/** Java's Math may differ from glibc by one ulp in these. */
	private static final Pattern TRANSCENDENTAL = Pattern.compile("sin|cos|tan|exp|log|\\*\\*");

	static List<Arguments> cases() throws IOException {
		List<Arguments> cases = new ArrayList<>();
		try (InputStream stream = ExpressionPythonCasesTest.class.getResourceAsStream(RESOURCE)) {
			assertThat(stream).as(RESOURCE).isNotNull();
			BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
			String line;
			while ((line = reader.readLine()) != null) {
				if (!line.startsWith("#")) {
					String[] fields = line.split("\t", -1);
					assertThat(fields).as(line).hasSize(6);
					cases.add(Arguments.of(fields[0], fields[1], Long.parseLong(fields[2]), fields[3], fields[4],
							fields[5]));
				}
			}
		}
		return cases;
	}

	@Test
	void coversEveryKindOfOutcome() throws IOException {
		List<Object> outcomes = cases().stream().map((arguments) -> arguments.get()[3]).distinct().toList();
		assertThat(outcomes).contains("int", "bool", "float", "complex", "ZeroDivisionError", "OverflowError",
				"ValueError", "SyntaxError", "NameError", "TypeError");
		assertThat(cases()).hasSizeGreaterThan(500);
	}

	@ParameterizedTest(name = "[{index}] {0}  ({1}={2})")
	@MethodSource("cases")
	void matchesCPython(String escapedSource, String variable, long value, String outcome, String python,
			String pythonFloat) {
		String source = unescape(escapedSource);
		if (PARSE_ERRORS.contains(outcome)) {
			assertThatExceptionOfType(ExpressionSyntaxException.class).as("CPython raises %s: %s", outcome, python)
				.isThrownBy(() -> Expression.parse(source, variable));
			return;
		}
		Expression expression = Expression.parse(source, variable);
		if (EVALUATION_ERRORS.contains(outcome)) {
			assertThatExceptionOfType(ExpressionEvaluationException.class).isThrownBy(() -> expression.evaluate(value))
				.satisfies((ex) -> {
					assertThat(ex.pythonType()).isEqualTo(outcome);
					assertThat(ex).hasMessage(unescape(python));
				});
			return;
		}
		if (outcome.equals("complex")) {
			// CPython returns a complex number, which no scheduler can use
			assertThatExceptionOfType(ExpressionEvaluationException.class).isThrownBy(() -> expression.evaluate(value))
				.withMessage("negative number cannot be raised to a fractional power");
			return;
		}
		boolean transcendental = TRANSCENDENTAL.matcher(source).find();
		Object actual = expression.evaluateToObject(value);
		switch (outcome) {
			case "int" -> {
				assertThat(actual).isInstanceOfAny(Long.class, java.math.BigInteger.class);
				assertThat(actual.toString()).isEqualTo(python);
			}
			case "bool" -> assertThat(actual).isEqualTo(python.equals("True"));
			case "float" -> {
				assertThat(actual).isInstanceOf(Double.class);
				assertSameDouble((Double) actual, parsePythonFloat(python), transcendental);
			}
			default -> throw new IllegalStateException("unknown outcome " + outcome);
		}
		if (pythonFloat.startsWith("!")) {
			assertThatExceptionOfType(ExpressionEvaluationException.class).isThrownBy(() -> expression.evaluate(value))
				.withMessage(pythonFloat.substring(pythonFloat.indexOf(": ") + 2));
		}
		else {
			assertSameDouble(expression.evaluate(value), parsePythonFloat(pythonFloat), transcendental);
		}
	}

	private static void assertSameDouble(double actual, double expected, boolean allowOneUlp) {
		if (Double.isNaN(expected)) {
			assertThat(actual).isNaN();
			return;
		}
		long actualBits = Double.doubleToRawLongBits(actual);
		long expectedBits = Double.doubleToRawLongBits(expected);
		if (allowOneUlp && actualBits != expectedBits) {
			// same sign and adjacent: the bit patterns of same-signed doubles are ordered
			assertThat(Long.signum(actualBits)).as("sign of %s, expected %s", actual, expected)
				.isEqualTo(Long.signum(expectedBits));
			assertThat(Math.abs(actualBits - expectedBits)).as("ulps between %s and %s", actual, expected)
				.isLessThanOrEqualTo(1);
			return;
		}
		assertThat(actualBits).as("%s (expected %s)", actual, expected).isEqualTo(expectedBits);
	}

	private static double parsePythonFloat(String repr) {
		return switch (repr) {
			case "inf" -> Double.POSITIVE_INFINITY;
			case "-inf" -> Double.NEGATIVE_INFINITY;
			case "nan" -> Double.NaN;
			default -> Double.parseDouble(repr);
		};
	}

	private static String unescape(String text) {
		StringBuilder result = new StringBuilder();
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\\' && i + 1 < text.length()) {
				char next = text.charAt(++i);
				result.append(switch (next) {
					case 't' -> '\t';
					case 'n' -> '\n';
					case 'r' -> '\r';
					case 'f' -> '\f';
					default -> next;
				});
			}
			else {
				result.append(c);
			}
		}
		return result.toString();
	}

}
