package dev.stepwise.schedule.expression;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Focused tests for {@link Expression}: rejected constructs and their positions, limits,
 * reuse, and the deliberate departures from CPython.
 */
class ExpressionTest {

	private static final String ALLOWED = "epoch, pi, e, min, max, abs, exp, log, sqrt, sin, cos, tan, floor, ceil, "
			+ "True, False";

	@Test
	void evaluatesSchedulerLambdas() {
		assertThat(Expression.parse("0.95 ** epoch", "epoch").evaluate(10)).isEqualTo(0.5987369392383787);
		assertThat(Expression.parse("0.95 ** epoch", "epoch").evaluate(100)).isEqualTo(0.0059205292203339975);
		assertThat(Expression.parse("epoch // 30", "epoch").evaluate(65)).isEqualTo(2.0);
		assertThat(Expression.parse("epoch // 30", "epoch").evaluate(-1)).isEqualTo(-1.0);
		assertThat(Expression.parse("1/(2.0**(x-1))", "x").evaluate(3)).isEqualTo(0.25);
		assertThat(Expression.parse("0.5 * (1 + cos(pi * epoch / 100))", "epoch").evaluate(25))
			.isEqualTo(0.8535533905932737);
	}

	@Test
	void convertsTheResultAsPythonFloatDoes() {
		Expression comparison = Expression.parse("epoch > 3", "epoch");
		assertThat(comparison.evaluate(4)).isEqualTo(1.0);
		assertThat(comparison.evaluate(3)).isEqualTo(0.0);
		assertThat(Expression.parse("-epoch", "epoch").evaluate(Long.MIN_VALUE)).isEqualTo(9.223372036854776e18);
		assertThat(Expression.parse("epoch * epoch", "epoch").evaluate(Long.MAX_VALUE)).isEqualTo(8.507059173023462e37);
		assertThat(Expression.parse("-0.0 * epoch", "epoch").evaluate(1)).isEqualTo(-0.0);
		assertThatExceptionOfType(ExpressionEvaluationException.class)
			.isThrownBy(() -> Expression.parse("10 ** 400 + epoch", "epoch").evaluate(1))
			.withMessage("int too large to convert to float");
	}

	@Test
	void parsesOnceAndIsReusableAcrossThreads() throws Exception {
		Expression expression = Expression.parse("0.1 if epoch < 10 else 0.5 ** (epoch // 10) * min(epoch, 7)",
				"epoch");
		double[] expected = new double[2000];
		for (int i = 0; i < expected.length; i++) {
			expected[i] = expression.evaluate(i);
		}
		ExecutorService executor = Executors.newFixedThreadPool(8);
		try {
			List<Future<double[]>> futures = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				Callable<double[]> task = () -> {
					double[] actual = new double[expected.length];
					for (int round = 0; round < 20; round++) {
						for (int i = actual.length - 1; i >= 0; i--) {
							actual[i] = expression.evaluate(i);
						}
					}
					return actual;
				};
				futures.add(executor.submit(task));
			}
			for (Future<double[]> future : futures) {
				assertThat(future.get()).containsExactly(expected);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void keepsSourceAndVariable() {
		Expression expression = Expression.parse(" 0.95 ** epoch", "epoch");
		assertThat(expression.source()).isEqualTo(" 0.95 ** epoch");
		assertThat(expression.variable()).isEqualTo("epoch");
		assertThat(expression).hasToString("lambda epoch:  0.95 ** epoch");
	}

	@Test
	void isEqualBySourceAndVariable() {
		Expression expression = Expression.parse("0.95 ** x", "x");
		assertThat(expression).isEqualTo(Expression.parse("0.95 ** x", "x"))
			.hasSameHashCodeAs(Expression.parse("0.95 ** x", "x"))
			.isNotEqualTo(Expression.parse("0.95 ** (x)", "x"))
			.isNotEqualTo(Expression.parse("0.95 ** 2", "epoch"))
			.isNotEqualTo("0.95 ** x");
	}

	static Stream<Arguments> rejectedSources() {
		return Stream.of(Arguments.of("epoch + foo", 8, "unknown name 'foo' at position 8; allowed: " + ALLOWED),
				Arguments.of("__import__('os')", 0, "unknown name '__import__' at position 0; allowed: " + ALLOWED),
				Arguments.of("open('/etc/passwd')", 0, "unknown name 'open' at position 0; allowed: " + ALLOWED),
				Arguments.of("open", 0, "unknown name 'open' at position 0; allowed: " + ALLOWED),
				Arguments.of("x", 0, "unknown name 'x' at position 0; allowed: " + ALLOWED),
				Arguments.of("Epoch", 0, "unknown name 'Epoch' at position 0; allowed: " + ALLOWED),
				Arguments.of("epoch.real", 5, "attribute access is not allowed at position 5"),
				Arguments.of("epoch.__class__.__bases__", 5, "attribute access is not allowed at position 5"),
				Arguments.of("[1][0]", 0, "subscripts and lists are not allowed at position 0"),
				Arguments.of("epoch[0]", 5, "subscripts and lists are not allowed at position 5"),
				Arguments.of("{1: 2}", 0, "dicts and sets are not allowed at position 0"),
				Arguments.of("\"a\"", 0, "string literals are not allowed at position 0"),
				Arguments.of("epoch * 'a'", 8, "string literals are not allowed at position 8"),
				Arguments.of("lambda: 1", 0, "lambda expressions are not allowed at position 0"),
				Arguments.of("1 if lambda: 1 else 2", 5, "lambda expressions are not allowed at position 5"),
				Arguments.of("min(1, 2, key=abs)", 10, "keyword arguments are not allowed at position 10"),
				Arguments.of("min(*epoch)", 4, "argument unpacking is not allowed at position 4"),
				Arguments.of("1j", 0, "complex literals are not allowed at position 0"),
				Arguments.of("1 # comment", 2, "comments are not allowed at position 2"),
				Arguments.of("1 + \\\n2", 4, "line continuations are not allowed at position 4"),
				Arguments.of("~epoch", 0, "operator '~' is not allowed at position 0"),
				Arguments.of("epoch << 2", 6, "operator '<<' is not allowed at position 6"),
				Arguments.of("epoch & 1", 6, "operator '&' is not allowed at position 6"),
				Arguments.of("epoch is 1", 6, "operator 'is' is not allowed at position 6"),
				Arguments.of("epoch not in 1", 6, "operator 'not in' is not allowed at position 6"),
				Arguments.of("None", 0, "'None' is not allowed at position 0"),
				Arguments.of("abs", 0, "function 'abs' must be called at position 0"),
				Arguments.of("pi(2)", 0, "'pi' is not a function at position 0"),
				Arguments.of("epoch(2)", 0, "'epoch' is not a function at position 0"),
				Arguments.of("abs(1)(2)", 6,
						"only min, max, abs, exp, log, sqrt, sin, cos, tan, floor, ceil can be "
								+ "called at position 6"),
				Arguments.of("2(3)", 1,
						"only min, max, abs, exp, log, sqrt, sin, cos, tan, floor, ceil can be "
								+ "called at position 1"),
				Arguments.of("min(1)", 0, "min() takes at least 2 arguments (1 given) at position 0"),
				Arguments.of("1 + log(1, 2, 3)", 4, "log() takes 1 or 2 arguments (3 given) at position 4"),
				Arguments.of("sqrt()", 0, "sqrt() takes exactly one argument (0 given) at position 0"),
				Arguments.of("(1, 2)", 2, "tuples are not allowed at position 2"),
				Arguments.of("1, 2", 1, "tuples are not allowed at position 1"),
				Arguments.of("epoch = 1", 6, "assignment is not allowed at position 6"),
				Arguments.of("(y := 1)", 1, "unknown name 'y' at position 1; allowed: " + ALLOWED),
				Arguments.of("(epoch := 1)", 7, "assignment expressions are not allowed at position 7"),
				Arguments.of("1 +", 3, "unexpected end of expression at position 3; expected a number, a name or '('"),
				Arguments.of("(1 + 2", 6, "unexpected end of expression at position 6; expected ')'"),
				Arguments.of("epoch if epoch", 14, "unexpected end of expression at position 14; expected 'else'"),
				Arguments.of("1 2", 2,
						"unexpected number 2 at position 2; expected an operator or the end of the expression"),
				Arguments.of("1 + not 2", 4, "unexpected 'not' at position 4; expected a number, a name or '('"),
				Arguments.of("", 0, "empty expression at position 0"),
				Arguments.of(" \t ", 0, "empty expression at position 0"),
				Arguments.of("1\n+ 2", 1, "unexpected line break at position 1"),
				Arguments.of("0.95 ** \u00e9poch", 8, "unexpected character U+00E9 at position 8"),
				Arguments.of("2 $ 3", 2, "unexpected character '$' at position 2"),
				Arguments.of("07", 0, "leading zeros in decimal integer literals are not permitted at position 0"),
				Arguments.of("1 + 1__0", 4, "invalid decimal literal at position 4"),
				Arguments.of("1if 1 else 2", 0, "invalid decimal literal at position 0"),
				Arguments.of("0b102", 0, "invalid binary literal at position 0"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rejectedSources")
	void rejectsWithPosition(String source, int position, String message) {
		assertThatExceptionOfType(ExpressionSyntaxException.class).isThrownBy(() -> Expression.parse(source, "epoch"))
			.withMessage(message)
			.satisfies((ex) -> assertThat(ex.position()).isEqualTo(position))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void acceptsAThousandCharacters() {
		String source = "1" + "+1".repeat(499) + " ";
		assertThat(source).hasSize(1000);
		assertThat(Expression.parse(source, "epoch").evaluate(0)).isEqualTo(500.0);
	}

	@Test
	void rejectsMoreThanAThousandCharacters() {
		String source = "1" + "+1".repeat(500);
		assertThat(source).hasSize(1001);
		assertThatExceptionOfType(ExpressionSyntaxException.class).isThrownBy(() -> Expression.parse(source, "epoch"))
			.withMessage("expression too long (1001 characters, at most 1000) at position 1000");
	}

	@Test
	void acceptsNestingUpToSixtyFourLevels() {
		assertThat(Expression.parse("(".repeat(64) + "epoch" + ")".repeat(64), "epoch").evaluate(3)).isEqualTo(3.0);
		assertThat(Expression.parse("-".repeat(64) + "epoch", "epoch").evaluate(3)).isEqualTo(3.0);
		assertThat(Expression.parse("not ".repeat(64) + "epoch", "epoch").evaluate(3)).isEqualTo(1.0);
		assertThat(Expression.parse("epoch ** ".repeat(64) + "epoch", "epoch").evaluate(1)).isEqualTo(1.0);
		assertThat(Expression.parse("abs(".repeat(64) + "epoch" + ")".repeat(64), "epoch").evaluate(-3)).isEqualTo(3.0);
	}

	static Stream<Arguments> tooDeeplyNestedSources() {
		return Stream.of(Arguments.of("(".repeat(65) + "epoch" + ")".repeat(65), 64),
				Arguments.of("-".repeat(65) + "epoch", 64), Arguments.of("not ".repeat(65) + "epoch", 256),
				Arguments.of("epoch ** ".repeat(65) + "epoch", 64 * 9 + 6),
				Arguments.of("abs(".repeat(65) + "epoch" + ")".repeat(65), 64 * 4 + 3),
				Arguments.of("1 if 0 else ".repeat(65) + "epoch", 64 * 12 + 7),
				Arguments.of("(-".repeat(33) + "epoch" + ")".repeat(33), 64));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("tooDeeplyNestedSources")
	void rejectsDeeperNesting(String source, int position) {
		assertThatExceptionOfType(ExpressionSyntaxException.class).isThrownBy(() -> Expression.parse(source, "epoch"))
			.withMessage("expression nested too deeply (more than 64 levels) at position " + position);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "1x", "e p", "if", "True", "lambda", "pi", "e", "min", "log", "\u00e9poch" })
	void rejectsUnusableVariableNames(String variable) {
		assertThatIllegalArgumentException().isThrownBy(() -> Expression.parse("1", variable))
			.isNotInstanceOf(ExpressionSyntaxException.class)
			.withMessageContaining("variable must be a Python identifier");
	}

	@Test
	void raisesOnlyForTheValuesCPythonRaisesFor() {
		Expression division = Expression.parse("1 / (epoch - 3)", "epoch");
		assertThat(division.evaluate(4)).isEqualTo(1.0);
		assertThatExceptionOfType(ExpressionEvaluationException.class).isThrownBy(() -> division.evaluate(3))
			.withMessage("division by zero")
			.isInstanceOf(ArithmeticException.class);
		assertThatExceptionOfType(ExpressionEvaluationException.class)
			.isThrownBy(() -> Expression.parse("1.0 / (epoch - 3)", "epoch").evaluate(3))
			.withMessage("float division by zero");
		assertThatExceptionOfType(ExpressionEvaluationException.class)
			.isThrownBy(() -> Expression.parse("log(epoch)", "epoch").evaluate(0))
			.withMessage("math domain error");
		assertThatExceptionOfType(ExpressionEvaluationException.class)
			.isThrownBy(() -> Expression.parse("exp(epoch)", "epoch").evaluate(1000))
			.withMessage("math range error");
	}

	@Test
	void raisesAtEvaluationForConstantSubexpressionsThatRaise() {
		Expression expression = Expression.parse("1 / 0 if epoch else 2", "epoch");
		assertThat(expression.evaluate(0)).isEqualTo(2.0);
		assertThatExceptionOfType(ExpressionEvaluationException.class).isThrownBy(() -> expression.evaluate(1))
			.withMessage("division by zero");
		assertThatExceptionOfType(ExpressionEvaluationException.class)
			.isThrownBy(() -> Expression.parse("log(0)", "epoch").evaluate(1))
			.withMessage("math domain error");
	}

	@ParameterizedTest
	@ValueSource(strings = { "2 ** 100000", "epoch ** epoch", "9 ** 9 ** 9", "(10 ** 3000) ** 4",
			"10 ** 3000 * 10 ** 3000 * 10 ** 3000 * 10 ** 3000", "floor(1e308) ** 10", "(-3) ** (10 ** 30)" })
	void refusesHugeIntsInsteadOfBurningCpu(String source) {
		// CPython would compute these (or run out of memory); the ints exceed 10000 bits
		Expression expression = Expression.parse(source, "epoch");
		assertTimeoutPreemptively(Duration.ofSeconds(10),
				() -> assertThatExceptionOfType(ExpressionEvaluationException.class)
					.isThrownBy(() -> expression.evaluate(1_000_000))
					.withMessage("integer result too large (more than 10000 bits)")
					.satisfies((ex) -> assertThat(ex.pythonType()).isEqualTo("OverflowError")));
	}

	@Test
	void computesIntsUpToTheLimitExactly() {
		assertThat(Expression.parse("3 ** 6000 // 3 ** 5999", "epoch").evaluate(0)).isEqualTo(3.0);
		assertThat(Expression.parse("(2 ** 9999 + epoch) % 1000", "epoch").evaluate(7)).isEqualTo(695.0);
	}

	@Test
	void refusesComplexResults() {
		// CPython returns a complex number here
		assertThatExceptionOfType(ExpressionEvaluationException.class)
			.isThrownBy(() -> Expression.parse("(-8.0) ** (1/3)", "epoch").evaluate(0))
			.withMessage("negative number cannot be raised to a fractional power");
		assertThat(Expression.parse("(-8.0) ** epoch", "epoch").evaluate(3)).isEqualTo(-512.0);
	}

}
