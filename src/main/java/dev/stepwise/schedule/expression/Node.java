package dev.stepwise.schedule.expression;

import java.math.BigInteger;

import org.jspecify.annotations.Nullable;

/**
 * A node of the immutable syntax tree; evaluating it leaves its Python value in a
 * {@link Frame}.
 */
abstract class Node {

	/**
	 * Evaluates this node for the frame's variable and leaves the result in the frame.
	 */
	abstract void evaluate(Frame frame);

	/**
	 * Whether this node is a literal, so that a parent made only of literals can be
	 * folded.
	 */
	boolean isConstant() {
		return false;
	}

	/**
	 * A literal, or a subtree folded into one at parse time.
	 */
	static final class Constant extends Node {

		private final int kind;

		private final long integer;

		private final double real;

		private final @Nullable BigInteger big;

		Constant(Frame value) {
			this.kind = value.kind;
			this.integer = value.integer;
			this.real = value.real;
			this.big = value.big;
		}

		@Override
		void evaluate(Frame frame) {
			frame.kind = this.kind;
			frame.integer = this.integer;
			frame.real = this.real;
			frame.big = this.big;
		}

		@Override
		boolean isConstant() {
			return true;
		}

	}

	/**
	 * The one variable, a Python int.
	 */
	static final class Variable extends Node {

		@Override
		void evaluate(Frame frame) {
			frame.setInt(frame.variable);
		}

	}

	/**
	 * Unary {@code -}, {@code +} or {@code not}.
	 */
	static final class Unary extends Node {

		static final int NEGATE = 0;

		static final int POSITIVE = 1;

		static final int NOT = 2;

		private final int operator;

		private final Node operand;

		Unary(int operator, Node operand) {
			this.operator = operator;
			this.operand = operand;
		}

		@Override
		void evaluate(Frame frame) {
			this.operand.evaluate(frame);
			switch (this.operator) {
				case NEGATE -> PyMath.negate(frame);
				case POSITIVE -> PyMath.positive(frame);
				default -> frame.setBool(!frame.truthy());
			}
		}

	}

	/**
	 * A binary arithmetic operator, one of the {@link PyMath} operator constants.
	 */
	static final class Binary extends Node {

		private final int operator;

		private final Node left;

		private final Node right;

		Binary(int operator, Node left, Node right) {
			this.operator = operator;
			this.left = left;
			this.right = right;
		}

		@Override
		void evaluate(Frame frame) {
			this.left.evaluate(frame);
			// the left value waits in locals while the right one is evaluated into the
			// frame
			int kind = frame.kind;
			long integer = frame.integer;
			double real = frame.real;
			BigInteger big = frame.big;
			this.right.evaluate(frame);
			PyMath.binary(this.operator, kind, integer, real, big, frame);
		}

	}

	/**
	 * A comparison or a Python chain of them, {@code a < b <= c}: each operand evaluated
	 * at most once, stopping at the first false link.
	 */
	static final class Comparison extends Node {

		private final Node[] operands;

		private final int[] operators;

		Comparison(Node[] operands, int[] operators) {
			this.operands = operands;
			this.operators = operators;
		}

		@Override
		void evaluate(Frame frame) {
			this.operands[0].evaluate(frame);
			for (int i = 0; i < this.operators.length; i++) {
				int kind = frame.kind;
				long integer = frame.integer;
				double real = frame.real;
				BigInteger big = frame.big;
				this.operands[i + 1].evaluate(frame);
				if (!PyMath.test(this.operators[i], PyMath.compare(kind, integer, real, big, frame))) {
					frame.setBool(false);
					return;
				}
			}
			frame.setBool(true);
		}

	}

	/**
	 * Python's {@code and} or {@code or}: short-circuits and yields the deciding operand
	 * itself.
	 */
	static final class Logical extends Node {

		private final boolean and;

		private final Node[] operands;

		Logical(boolean and, Node[] operands) {
			this.and = and;
			this.operands = operands;
		}

		@Override
		void evaluate(Frame frame) {
			int last = this.operands.length - 1;
			for (int i = 0; i < last; i++) {
				this.operands[i].evaluate(frame);
				if (frame.truthy() != this.and) {
					return;
				}
			}
			this.operands[last].evaluate(frame);
		}

	}

	/**
	 * Python's conditional expression {@code body if condition else orElse}.
	 */
	static final class Conditional extends Node {

		private final Node condition;

		private final Node body;

		private final Node orElse;

		Conditional(Node condition, Node body, Node orElse) {
			this.condition = condition;
			this.body = body;
			this.orElse = orElse;
		}

		@Override
		void evaluate(Frame frame) {
			this.condition.evaluate(frame);
			if (frame.truthy()) {
				this.body.evaluate(frame);
			}
			else {
				this.orElse.evaluate(frame);
			}
		}

	}

	/**
	 * A call of one of the allowed functions; its arity was checked at parse time.
	 */
	static final class Call extends Node {

		private final Function function;

		private final Node[] arguments;

		Call(Function function, Node[] arguments) {
			this.function = function;
			this.arguments = arguments;
		}

		@Override
		void evaluate(Frame frame) {
			switch (this.function) {
				case MIN -> extreme(frame, 1);
				case MAX -> extreme(frame, -1);
				case LOG -> {
					this.arguments[0].evaluate(frame);
					if (this.arguments.length == 1) {
						frame.setFloat(PyMath.log(frame.kind, frame.integer, frame.real, frame.big));
						return;
					}
					// both arguments are evaluated before either logarithm can raise
					int kind = frame.kind;
					long integer = frame.integer;
					double real = frame.real;
					BigInteger big = frame.big;
					this.arguments[1].evaluate(frame);
					double numerator = PyMath.log(kind, integer, real, big);
					frame.setFloat(PyMath.divideFloats(numerator,
							PyMath.log(frame.kind, frame.integer, frame.real, frame.big)));
				}
				default -> {
					this.arguments[0].evaluate(frame);
					applyUnary(frame);
				}
			}
		}

		private void applyUnary(Frame frame) {
			switch (this.function) {
				case ABS -> PyMath.abs(frame);
				case FLOOR -> PyMath.floorOrCeil(frame, false);
				case CEIL -> PyMath.floorOrCeil(frame, true);
				default -> {
					double x = frame.toDouble();
					frame.setFloat(switch (this.function) {
						case EXP -> PyMath.checkMathResult(x, Math.exp(x), true);
						case SQRT -> PyMath.checkMathResult(x, Math.sqrt(x), false);
						case SIN -> PyMath.checkMathResult(x, Math.sin(x), false);
						case COS -> PyMath.checkMathResult(x, Math.cos(x), false);
						default -> PyMath.checkMathResult(x, Math.tan(x), false);
					});
				}
			}
		}

		/**
		 * Python's {@code min} (replacing when {@code item < best}) or {@code max} (when
		 * {@code item > best}): the first of equal values wins and the winner keeps its
		 * type.
		 */
		private void extreme(Frame frame, int replaceWhen) {
			this.arguments[0].evaluate(frame);
			int kind = frame.kind;
			long integer = frame.integer;
			double real = frame.real;
			BigInteger big = frame.big;
			for (int i = 1; i < this.arguments.length; i++) {
				this.arguments[i].evaluate(frame);
				// compare(best, item) == 1 means item < best
				if (PyMath.compare(kind, integer, real, big, frame) == replaceWhen) {
					kind = frame.kind;
					integer = frame.integer;
					real = frame.real;
					big = frame.big;
				}
			}
			frame.kind = kind;
			frame.integer = integer;
			frame.real = real;
			frame.big = big;
		}

	}

	/**
	 * The functions an expression may call, with their Python arities.
	 */
	enum Function {

		MIN("min", 2, Integer.MAX_VALUE), MAX("max", 2, Integer.MAX_VALUE), ABS("abs", 1, 1), EXP("exp", 1, 1),
		LOG("log", 1, 2), SQRT("sqrt", 1, 1), SIN("sin", 1, 1), COS("cos", 1, 1), TAN("tan", 1, 1),
		FLOOR("floor", 1, 1), CEIL("ceil", 1, 1);

		final String pythonName;

		final int minArguments;

		final int maxArguments;

		Function(String pythonName, int minArguments, int maxArguments) {
			this.pythonName = pythonName;
			this.minArguments = minArguments;
			this.maxArguments = maxArguments;
		}

	}

}
