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
			return (epoch) -> {
				try {
					return expression.evaluate(epoch);
				}
				catch (ExpressionEvaluationException ex) {
					throw Py.refused(ex.getMessage() + " in " + field + " at " + variable + "=" + epoch);
				}
			};
		}
		catch (ExpressionSyntaxException ex) {
			throw arguments.invalid(field, ex.getMessage());
		}
	}

}
