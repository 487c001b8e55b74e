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
		List<String> sources = arguments.expressions(name);
		List<EpochFunction> functions = new ArrayList<>(sources.size());
		for (int i = 0; i < sources.size(); i++) {
			functions
				.add(parse(arguments, (sources.size() == 1) ? name : name + "[" + i + "]", sources.get(i), variable));
		}
		return List.copyOf(functions);
	}

	/** Parses one expression; syntax errors name the argument and the position. */
	static EpochFunction parse(ArgumentReader arguments, String field, String source, String variable) {
		try {
			Expression expression = Expression.parse(source, variable);
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
