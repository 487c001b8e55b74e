package dev.stepwise.schedule.expression;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A parsed Python lambda body over one int variable, such as PyTorch's {@code lr_lambda}
 * ({@code 0.95 ** epoch}) or {@code scale_fn} ({@code 1/(2.0**(x-1))}), evaluated exactly
 * as CPython would.
 * <p>
 * The accepted grammar is Python's, restricted to numbers, {@code + - * / // % **}, unary
 * {@code -} and {@code +}, parentheses, comparisons (chained as in Python),
 * {@code a if c else b}, {@code and}, {@code or}, {@code not}, {@code True},
 * {@code False}, the constants {@code pi} and {@code e}, the functions
 * {@code min max abs exp log sqrt sin cos tan floor ceil} and the variable.
 * <p>
 * Immutable and thread-safe: parse once, evaluate many times from any thread.
 */
public final class Expression {

	private final String source;

	private final String variable;

	private final Node root;

	private final boolean usesVariable;

	private final int size;

	private Expression(String source, String variable, Parser.Tree tree) {
		this.source = source;
		this.variable = variable;
		this.root = tree.root();
		this.usesVariable = tree.usesVariable();
		this.size = tree.size();
	}

	/**
	 * Parses a Python expression over one variable.
	 * @param source the expression, at most 1000 characters
	 * @param variable the name of the variable, e.g. {@code epoch} or {@code x}; it must
	 * not be a keyword or one of the built-in names
	 * @return the parsed expression
	 * @throws ExpressionSyntaxException when the source is not in the accepted subset of
	 * Python
	 * @throws IllegalArgumentException when the variable is not a usable Python
	 * identifier
	 */
	public static Expression parse(String source, String variable) {
		Objects.requireNonNull(source, "source must not be null");
		Objects.requireNonNull(variable, "variable must not be null");
		Parser.checkVariable(variable);
		return new Expression(source, variable, Parser.parseTree(source, variable));
	}

	/**
	 * Evaluates the expression as CPython's {@code float(eval(source))} would with the
	 * variable bound to the given int.
	 * @param value the value of the variable, a Python int
	 * @return the result as a double
	 * @throws ExpressionEvaluationException when CPython would raise, with its message
	 */
	public double evaluate(long value) {
		Frame frame = new Frame(value);
		this.root.evaluate(frame);
		return frame.toDouble();
	}

	/**
	 * The Python value before conversion to float: Boolean, Long, BigInteger or Double.
	 */
	Object evaluateToObject(long value) {
		Frame frame = new Frame(value);
		this.root.evaluate(frame);
		return frame.toObject();
	}

	/**
	 * Whether the source mentions the variable; when it does not, every evaluation gives
	 * the same value or raises the same error.
	 */
	public boolean usesVariable() {
		return this.usesVariable;
	}

	/**
	 * The expression's size in tokens, a bound of its syntax tree's node count: what one
	 * evaluation costs, roughly.
	 */
	public int size() {
		return this.size;
	}

	/** The source text exactly as given to {@link #parse}. */
	public String source() {
		return this.source;
	}

	/** The name of the variable. */
	public String variable() {
		return this.variable;
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		if (this == obj) {
			return true;
		}
		if (!(obj instanceof Expression other)) {
			return false;
		}
		return this.source.equals(other.source) && this.variable.equals(other.variable);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.source, this.variable);
	}

	/** The expression as a Python lambda, e.g. {@code lambda epoch: 0.95 ** epoch}. */
	@Override
	public String toString() {
		return "lambda " + this.variable + ": " + this.source;
	}

	/**
	 * CPython's {@code float ** float} ({@code float_pow}), for the schedulers' own
	 * powers.
	 * @param base the base
	 * @param exponent the exponent
	 * @return the power
	 * @throws ExpressionEvaluationException where Python raises
	 * ({@code ZeroDivisionError}, {@code OverflowError}) or its result would be complex
	 */
	public static double floatPower(double base, double exponent) {
		return PyMath.floatPower(base, exponent);
	}

}
