package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.List;

import dev.stepwise.schedule.expression.Expression;
import dev.stepwise.schedule.expression.ExpressionEvaluationException;
import dev.stepwise.schedule.expression.ExpressionSyntaxException;

/**
 * A function of an int, as PyTorch's {@code lr_lambda} and {@code scale_fn} callables.
 */
@FunctionalInterface
interface EpochFunction {

	/**
	 * The value at {@code epoch}, as Python's {@code float(f(epoch))}.
	 * @throws StepException when Python would raise
	 */
	double apply(long epoch);

	/**
	 * Whether it never raises, so that a fast-forward may skip the epochs in between (a
	 * built-in that guards its divisions, or an expression without the variable that did
	 * not raise).
	 */
	default boolean total() {
		return false;
	}

	/**
	 * Whether the arguments at which it does not raise form an interval, so that a range
	 * of arguments is checked at its two ends.
	 */
	default boolean convex() {
		return total();
	}

	/** The work of one evaluation for the cost model: an expression's size, else 1. */
	default int size() {
		return 1;
	}

	/** {@code function}, known never to raise. */
	static EpochFunction total(EpochFunction function) {
		return new Known(function, true, true, 1);
	}

	/** {@code function}, known to raise only outside an interval of arguments. */
	static EpochFunction convex(EpochFunction function) {
		return new Known(function, false, true, 1);
	}

	/**
	 * Parses a user expression (one per group, or one for all) from the argument
	 * {@code name}.
	 */
	static List<EpochFunction> parse(ArgumentReader arguments, String name, String variable) {
		return parse(arguments, name, variable, false);
	}

	/**
	 * Parses the expressions as {@link #parse(ArgumentReader, String, String)}, and with
	 * {@code refuseConstantFailure} refuses one that does not mention the variable and
	 * raises: for a scheduler that evaluates it at every step (MultiplicativeLR), no step
	 * could be taken.
	 */
	static List<EpochFunction> parse(ArgumentReader arguments, String name, String variable,
			boolean refuseConstantFailure) {
		List<String> sources = arguments.expressions(name);
		List<EpochFunction> functions = new ArrayList<>(sources.size());
		for (int i = 0; i < sources.size(); i++) {
			functions.add(parse(arguments, (sources.size() == 1) ? name : name + "[" + i + "]", sources.get(i),
					variable, refuseConstantFailure));
		}
		return List.copyOf(functions);
	}

	/** Parses one expression; syntax errors name the argument and the position. */
	static EpochFunction parse(ArgumentReader arguments, String field, String source, String variable) {
		return parse(arguments, field, source, variable, false);
	}

	private static EpochFunction parse(ArgumentReader arguments, String field, String source, String variable,
			boolean refuseConstantFailure) {
		try {
			Expression expression = Expression.parse(source, variable);
			if (refuseConstantFailure && !expression.usesVariable()) {
				try {
					expression.evaluate(0);
				}
				catch (ExpressionEvaluationException ex) {
					throw arguments.invalid(field, "does not depend on " + variable + " and raises (" + ex.getMessage()
							+ "), so PyTorch would raise at every step: no step could be taken");
				}
			}
			EpochFunction function = (epoch) -> {
				try {
					return expression.evaluate(epoch);
				}
				catch (ExpressionEvaluationException ex) {
					throw Py.refused(ex.getMessage() + " in " + field + " at " + variable + "=" + epoch);
				}
			};
			boolean total = !expression.usesVariable() && !raises(expression);
			return new Known(function, total, total, expression.size());
		}
		catch (ExpressionSyntaxException ex) {
			throw arguments.invalid(field, ex.getMessage());
		}
	}

	private static boolean raises(Expression expression) {
		try {
			expression.evaluate(0);
			return false;
		}
		catch (ExpressionEvaluationException ex) {
			return true;
		}
	}

	/**
	 * A function and what a fast-forward may assume of it.
	 *
	 * @param function the function
	 * @param total whether it never raises
	 * @param convex whether it raises only outside an interval
	 * @param size the work of one evaluation
	 */
	record Known(EpochFunction function, boolean total, boolean convex, int size) implements EpochFunction {

		@Override
		public double apply(long epoch) {
			return this.function.apply(epoch);
		}

	}

}
