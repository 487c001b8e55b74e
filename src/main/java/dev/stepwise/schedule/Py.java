package dev.stepwise.schedule;

import dev.stepwise.schedule.expression.Expression;
import dev.stepwise.schedule.expression.ExpressionEvaluationException;

/**
 * Python's arithmetic where it differs from Java's: floor division and modulo, division
 * by zero and {@code **} raise instead of giving infinities, and {@code max} keeps the
 * first of two values unless the second is greater.
 */
final class Py {

	private Py() {
	}

	/**
	 * {@code a / b} for floats; Python raises {@code ZeroDivisionError} on a zero
	 * divisor.
	 */
	static double div(double a, double b) {
		if (b == 0.0) {
			throw refused("float division by zero");
		}
		return a / b;
	}

	/** {@code a % b} for ints; Python's result takes the divisor's sign. */
	static long mod(long a, long b) {
		if (b == 0) {
			throw refused("integer modulo by zero");
		}
		return Math.floorMod(a, b);
	}

	/** {@code a // b} for ints. */
	static long floorDiv(long a, long b) {
		if (b == 0) {
			throw refused("integer division or modulo by zero");
		}
		return Math.floorDiv(a, b);
	}

	/** {@code a % b} for floats, as CPython's {@code float_rem}. */
	static double mod(double a, double b) {
		if (b == 0.0) {
			throw refused("float modulo");
		}
		double mod = a % b;
		if (mod != 0.0) {
			if ((b < 0) != (mod < 0)) {
				mod += b;
			}
		}
		else {
			mod = Math.copySign(0.0, b);
		}
		return mod;
	}

	/**
	 * {@code a ** b} for floats (and {@code float ** int}, the int taken as a float), as
	 * CPython's {@code float_pow}: {@code x ** 0} is 1 (even for NaN), {@code 1 ** y} is
	 * 1 (even for NaN and infinities), {@code 0.0 ** negative} raises
	 * {@code ZeroDivisionError}, and a result that overflows from finite operands raises
	 * {@code OverflowError} where Java's {@link Math#pow} returns an infinity (only pow
	 * does: a product that overflows is an infinity in Python too). A negative number
	 * raised to a fractional power is a complex number in Python 3, which PyTorch would
	 * write into the groups as the lr without raising; Stepwise, whose lrs are floats,
	 * refuses it.
	 * @param a the base
	 * @param b the exponent
	 * @return the power
	 * @throws StepException (REFUSED) where Python raises or the result is complex
	 */
	static double pow(double a, double b) {
		try {
			return Expression.floatPower(a, b);
		}
		catch (ExpressionEvaluationException ex) {
			// a complex power is no Python error, but an lr is a float
			throw refused("ValueError".equals(ex.pythonType())
					? "a negative number raised to a fractional power is complex, and an lr is a float"
					: ex.pythonType() + ": " + ex.getMessage());
		}
	}

	/**
	 * Python's {@code max(a, b)}: {@code a} unless {@code b > a} (so NaN handling differs
	 * from Math.max).
	 */
	static double max(double a, double b) {
		return (b > a) ? b : a;
	}

	/** Python's {@code min(a, b)}: {@code a} unless {@code b < a}. */
	static double min(double a, double b) {
		return (b < a) ? b : a;
	}

	/**
	 * Python's {@code bisect_right}: the insertion point after any equal entries (on any
	 * list, sorted or not).
	 */
	static int bisectRight(long[] values, long x) {
		int lo = 0;
		int hi = values.length;
		while (lo < hi) {
			int mid = (lo + hi) >>> 1;
			if (x < values[mid]) {
				hi = mid;
			}
			else {
				lo = mid + 1;
			}
		}
		return lo;
	}

	/** Python's {@code a % b} for a float and an int, as in {@code epoch % T_0}. */
	static double mod(double a, long b) {
		return mod(a, (double) b);
	}

	static StepException refused(String pythonMessage) {
		return new StepException(StepException.Reason.REFUSED, "PyTorch raises here: " + pythonMessage);
	}

}
