package dev.stepwise.schedule.expression;

import java.math.BigDecimal;
import java.math.BigInteger;

import org.jspecify.annotations.Nullable;

/**
 * CPython's numeric semantics for {@code int}, {@code bool} and {@code float}: a
 * {@code long} and {@code double} fast path, with {@link BigInteger} only when an int
 * leaves the {@code long} range.
 */
final class PyMath {

	static final int ADD = 0;

	static final int SUBTRACT = 1;

	static final int MULTIPLY = 2;

	static final int TRUE_DIVIDE = 3;

	static final int FLOOR_DIVIDE = 4;

	static final int MODULO = 5;

	static final int POWER = 6;

	static final int LESS = 0;

	static final int LESS_EQUAL = 1;

	static final int EQUAL = 2;

	static final int NOT_EQUAL = 3;

	static final int GREATER = 4;

	static final int GREATER_EQUAL = 5;

	/**
	 * Ints beyond this many bits raise instead of burning CPU (CPython would compute
	 * them).
	 */
	static final int MAX_INT_BITS = 10_000;

	/** The result of comparing with NaN. */
	static final int UNORDERED = 2;

	private static final long TWO_TO_53 = 1L << 53;

	private static final double TWO_TO_63 = 0x1p63;

	private static final BigInteger MINUS_ONE = BigInteger.ONE.negate();

	private PyMath() {
	}

	// Arithmetic

	/**
	 * Applies a binary operator to the saved left operand and the right operand in the
	 * frame.
	 */
	static void binary(int operator, int leftKind, long leftInteger, double leftReal, @Nullable BigInteger leftBig,
			Frame frame) {
		int rightKind = frame.kind;
		if (leftKind <= Frame.INT && rightKind <= Frame.INT) {
			longBinary(operator, leftInteger, frame.integer, frame);
		}
		else if (leftKind == Frame.FLOAT || rightKind == Frame.FLOAT) {
			// CPython converts the int operand first, raising if it does not fit a double
			double left = toDouble(leftKind, leftInteger, leftReal, leftBig);
			double right = toDouble(rightKind, frame.integer, frame.real, frame.big);
			frame.setFloat(floatBinary(operator, left, right));
		}
		else {
			bigBinary(operator, toBig(leftKind, leftInteger, leftBig), toBig(rightKind, frame.integer, frame.big),
					frame);
		}
	}

	private static void longBinary(int operator, long a, long b, Frame frame) {
		switch (operator) {
			case ADD -> {
				long result = a + b;
				if (((a ^ result) & (b ^ result)) < 0) {
					frame.setBig(BigInteger.valueOf(a).add(BigInteger.valueOf(b)));
				}
				else {
					frame.setInt(result);
				}
			}
			case SUBTRACT -> {
				long result = a - b;
				if (((a ^ b) & (a ^ result)) < 0) {
					frame.setBig(BigInteger.valueOf(a).subtract(BigInteger.valueOf(b)));
				}
				else {
					frame.setInt(result);
				}
			}
			case MULTIPLY -> {
				long low = a * b;
				if (Math.multiplyHigh(a, b) != (low >> 63)) {
					frame.setBig(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)));
				}
				else {
					frame.setInt(low);
				}
			}
			case TRUE_DIVIDE -> frame.setFloat(trueDivide(a, b));
			case FLOOR_DIVIDE -> {
				if (b == 0) {
					throw zeroDivision("integer division or modulo by zero");
				}
				if (a == Long.MIN_VALUE && b == -1) {
					frame.setBig(BigInteger.valueOf(a).negate());
				}
				else {
					frame.setInt(Math.floorDiv(a, b));
				}
			}
			case MODULO -> {
				if (b == 0) {
					throw zeroDivision("integer modulo by zero");
				}
				frame.setInt(Math.floorMod(a, b));
			}
			default -> {
				if (b < 0) {
					// int ** negative int is float ** float in CPython
					frame.setFloat(floatPower(a, b));
				}
				else {
					longPower(a, b, frame);
				}
			}
		}
	}

	private static void longPower(long base, long exponent, Frame frame) {
		if (exponent == 0) {
			frame.setInt(1);
			return;
		}
		if (base == 0 || base == 1) {
			frame.setInt(base);
			return;
		}
		if (base == -1) {
			frame.setInt(((exponent & 1) == 0) ? 1 : -1);
			return;
		}
		// |base| >= 2, so an exponent of 64 or more overflows a long anyway
		if (exponent < 64) {
			long result = 1;
			long square = base;
			long remaining = exponent;
			while (true) {
				if ((remaining & 1) != 0) {
					long low = result * square;
					if (Math.multiplyHigh(result, square) != (low >> 63)) {
						break;
					}
					result = low;
				}
				remaining >>= 1;
				if (remaining == 0) {
					frame.setInt(result);
					return;
				}
				long low = square * square;
				if (Math.multiplyHigh(square, square) != (low >> 63)) {
					break;
				}
				square = low;
			}
		}
		frame.setBig(bigPower(BigInteger.valueOf(base), exponent));
	}

	private static void bigBinary(int operator, BigInteger a, BigInteger b, Frame frame) {
		switch (operator) {
			case ADD -> frame.setBig(a.add(b));
			case SUBTRACT -> frame.setBig(a.subtract(b));
			case MULTIPLY -> {
				if (a.bitLength() + b.bitLength() > MAX_INT_BITS + 1) {
					throw intTooLarge();
				}
				frame.setBig(a.multiply(b));
			}
			case TRUE_DIVIDE -> frame.setFloat(trueDivide(a, b));
			case FLOOR_DIVIDE -> {
				if (b.signum() == 0) {
					throw zeroDivision("integer division or modulo by zero");
				}
				BigInteger[] quotientAndRemainder = a.divideAndRemainder(b);
				BigInteger quotient = quotientAndRemainder[0];
				int remainderSign = quotientAndRemainder[1].signum();
				frame.setBig((remainderSign != 0 && remainderSign != b.signum()) ? quotient.subtract(BigInteger.ONE)
						: quotient);
			}
			case MODULO -> {
				if (b.signum() == 0) {
					throw zeroDivision("integer modulo by zero");
				}
				BigInteger remainder = a.remainder(b);
				frame.setBig(
						(remainder.signum() != 0 && remainder.signum() != b.signum()) ? remainder.add(b) : remainder);
			}
			default -> {
				if (b.signum() < 0) {
					frame.setFloat(floatPower(bigToDouble(a), bigToDouble(b)));
				}
				else if (b.bitLength() < 64 && a.bitLength() < 64) {
					longPower(a.longValue(), b.longValue(), frame);
				}
				else if (b.signum() == 0 || a.equals(BigInteger.ONE)) {
					frame.setInt(1);
				}
				else if (a.signum() == 0) {
					frame.setInt(0);
				}
				else if (a.equals(MINUS_ONE)) {
					frame.setInt(b.testBit(0) ? -1 : 1);
				}
				else if (b.bitLength() >= 64) {
					throw intTooLarge();
				}
				else {
					frame.setBig(bigPower(a, b.longValue()));
				}
			}
		}
	}

	/**
	 * An exact power of a base of magnitude 2 or more, refused up front when far too
	 * large.
	 */
	private static BigInteger bigPower(BigInteger base, long exponent) {
		if (exponent > MAX_INT_BITS) {
			throw intTooLarge();
		}
		double log2 = (base.bitLength() > 1000) ? base.bitLength() - 1
				: Math.log(Math.abs(base.doubleValue())) / Math.log(2.0);
		if (exponent * log2 > MAX_INT_BITS + 1) {
			throw intTooLarge();
		}
		return base.pow((int) exponent);
	}

	private static double floatBinary(int operator, double a, double b) {
		return switch (operator) {
			case ADD -> a + b;
			case SUBTRACT -> a - b;
			case MULTIPLY -> a * b;
			case TRUE_DIVIDE -> divideFloats(a, b);
			case FLOOR_DIVIDE -> floatFloorDivide(a, b);
			case MODULO -> floatModulo(a, b);
			default -> floatPower(a, b);
		};
	}

	/** CPython's {@code float_div}. */
	static double divideFloats(double a, double b) {
		if (b == 0.0) {
			throw zeroDivision("float division by zero");
		}
		return a / b;
	}

	/**
	 * CPython's {@code float_floor_div}, including the snapping of the quotient and its
	 * zero sign.
	 */
	private static double floatFloorDivide(double vx, double wx) {
		if (wx == 0.0) {
			throw zeroDivision("float floor division by zero");
		}
		// Java's % on doubles is C's fmod
		double mod = vx % wx;
		double div = (vx - mod) / wx;
		if (mod != 0.0) {
			if ((wx < 0) != (mod < 0)) {
				div -= 1.0;
			}
		}
		if (div != 0.0) {
			double floorDiv = Math.floor(div);
			if (div - floorDiv > 0.5) {
				floorDiv += 1.0;
			}
			return floorDiv;
		}
		return Math.copySign(0.0, vx / wx);
	}

	/** CPython's {@code float_rem}: the result takes the sign of the divisor. */
	private static double floatModulo(double vx, double wx) {
		if (wx == 0.0) {
			throw zeroDivision("float modulo");
		}
		double mod = vx % wx;
		if (mod != 0.0) {
			if ((wx < 0) != (mod < 0)) {
				mod += wx;
			}
			return mod;
		}
		return Math.copySign(0.0, wx);
	}

	/**
	 * CPython's {@code float_pow}: its special cases first, then the platform's
	 * {@code pow}.
	 */
	static double floatPower(double base, double exponent) {
		if (exponent == 0.0) {
			return 1.0;
		}
		if (Double.isNaN(base)) {
			return base;
		}
		if (Double.isNaN(exponent)) {
			return (base == 1.0) ? 1.0 : exponent;
		}
		if (Double.isInfinite(exponent)) {
			double magnitude = Math.abs(base);
			if (magnitude == 1.0) {
				return 1.0;
			}
			return ((exponent > 0.0) == (magnitude > 1.0)) ? Math.abs(exponent) : 0.0;
		}
		if (Double.isInfinite(base)) {
			boolean odd = isOddInteger(exponent);
			if (exponent > 0.0) {
				return odd ? base : Math.abs(base);
			}
			return odd ? Math.copySign(0.0, base) : 0.0;
		}
		if (base == 0.0) {
			if (exponent < 0.0) {
				throw zeroDivision("0.0 cannot be raised to a negative power");
			}
			return isOddInteger(exponent) ? base : 0.0;
		}
		boolean negate = false;
		if (base < 0.0) {
			if (exponent != Math.floor(exponent)) {
				// CPython returns a complex number here, which no scheduler can use
				throw new ExpressionEvaluationException("ValueError",
						"negative number cannot be raised to a fractional power");
			}
			base = -base;
			negate = isOddInteger(exponent);
		}
		if (base == 1.0) {
			return negate ? -1.0 : 1.0;
		}
		double result = Math.pow(base, exponent);
		if (Double.isInfinite(result)) {
			throw overflow("(34, 'Numerical result out of range')");
		}
		return negate ? -result : result;
	}

	private static boolean isOddInteger(double value) {
		return Math.abs(value) % 2.0 == 1.0;
	}

	// Division of ints, correctly rounded as CPython's long_true_divide

	private static double trueDivide(long a, long b) {
		if (b == 0) {
			throw zeroDivision("division by zero");
		}
		if (-TWO_TO_53 <= a && a <= TWO_TO_53 && -TWO_TO_53 <= b && b <= TWO_TO_53) {
			// both exact as doubles, and IEEE division rounds correctly
			return (double) a / (double) b;
		}
		return trueDivide(BigInteger.valueOf(a), BigInteger.valueOf(b));
	}

	private static double trueDivide(BigInteger a, BigInteger b) {
		if (b.signum() == 0) {
			throw zeroDivision("division by zero");
		}
		boolean negate = (a.signum() < 0) != (b.signum() < 0);
		if (a.signum() == 0) {
			return negate ? -0.0 : 0.0;
		}
		double result = positiveRatio(a.abs(), b.abs());
		return negate ? -result : result;
	}

	/**
	 * The correctly rounded (half-even) double nearest to {@code a / b}, for positive
	 * ints.
	 */
	private static double positiveRatio(BigInteger a, BigInteger b) {
		int e = a.bitLength() - b.bitLength();
		if (e > 1025) {
			throw overflow("integer division result too large for a float");
		}
		if (e < -1077) {
			return 0.0;
		}
		// scale so that the last kept bit of the result is at least 2 bits above bit 0 of
		// q
		int scale = 54 - Math.max(e - 1, -1022);
		BigInteger numerator = (scale >= 0) ? a.shiftLeft(scale) : a;
		BigInteger denominator = (scale >= 0) ? b : b.shiftLeft(-scale);
		BigInteger[] quotientAndRemainder = numerator.divideAndRemainder(denominator);
		BigInteger q = quotientAndRemainder[0];
		boolean inexact = quotientAndRemainder[1].signum() != 0;
		int bits = q.bitLength();
		int drop = (bits - 1 - scale >= -1022) ? bits - 53 : scale - 1074;
		long mantissa = q.shiftRight(drop).longValue();
		boolean half = q.testBit(drop - 1);
		boolean rest = inexact || q.getLowestSetBit() < drop - 1;
		if (half && (rest || (mantissa & 1) != 0)) {
			mantissa++;
		}
		double result = Math.scalb((double) mantissa, drop - scale);
		if (Double.isInfinite(result)) {
			throw overflow("integer division result too large for a float");
		}
		return result;
	}

	// Comparisons, exact between int and float as in CPython's float_richcompare

	/**
	 * Compares the saved left operand with the value in the frame: -1, 0, 1 or
	 * {@link #UNORDERED}.
	 */
	static int compare(int leftKind, long leftInteger, double leftReal, @Nullable BigInteger leftBig, Frame frame) {
		int rightKind = frame.kind;
		if (leftKind <= Frame.INT && rightKind <= Frame.INT) {
			return Long.compare(leftInteger, frame.integer);
		}
		if (leftKind == Frame.FLOAT) {
			if (rightKind == Frame.FLOAT) {
				return compareDoubles(leftReal, frame.real);
			}
			return reverse(compareIntWithDouble(rightKind, frame.integer, frame.big, leftReal));
		}
		if (rightKind == Frame.FLOAT) {
			return compareIntWithDouble(leftKind, leftInteger, leftBig, frame.real);
		}
		return toBig(leftKind, leftInteger, leftBig).compareTo(toBig(rightKind, frame.integer, frame.big));
	}

	/**
	 * Whether a comparison result satisfies the operator; NaN satisfies only {@code !=}.
	 */
	static boolean test(int operator, int comparison) {
		return switch (operator) {
			case LESS -> comparison == -1;
			case LESS_EQUAL -> comparison == -1 || comparison == 0;
			case EQUAL -> comparison == 0;
			case NOT_EQUAL -> comparison != 0;
			case GREATER -> comparison == 1;
			default -> comparison == 1 || comparison == 0;
		};
	}

	private static int reverse(int comparison) {
		return (comparison == UNORDERED) ? UNORDERED : -comparison;
	}

	private static int compareDoubles(double a, double b) {
		if (a < b) {
			return -1;
		}
		if (a > b) {
			return 1;
		}
		return (a == b) ? 0 : UNORDERED;
	}

	private static int compareIntWithDouble(int kind, long integer, @Nullable BigInteger big, double real) {
		if (Double.isNaN(real)) {
			return UNORDERED;
		}
		if (kind == Frame.BIG) {
			if (Double.isInfinite(real)) {
				return (real > 0) ? -1 : 1;
			}
			// new BigDecimal(double) is exact
			return new BigDecimal(nonNull(big)).compareTo(new BigDecimal(real));
		}
		if (-TWO_TO_53 <= integer && integer <= TWO_TO_53) {
			return compareDoubles(integer, real);
		}
		if (real >= TWO_TO_63) {
			return -1;
		}
		if (real < -TWO_TO_63) {
			return 1;
		}
		double floor = Math.floor(real);
		long floorInteger = (long) floor;
		if (integer != floorInteger) {
			return (integer < floorInteger) ? -1 : 1;
		}
		return (floor == real) ? 0 : -1;
	}

	// Unary operators and functions

	/** Python's unary minus. */
	static void negate(Frame frame) {
		switch (frame.kind) {
			case Frame.FLOAT -> frame.real = -frame.real;
			case Frame.BIG -> frame.setBig(nonNull(frame.big).negate());
			default -> {
				if (frame.integer == Long.MIN_VALUE) {
					frame.setBig(BigInteger.valueOf(frame.integer).negate());
				}
				else {
					frame.setInt(-frame.integer);
				}
			}
		}
	}

	/** Python's unary plus: a bool becomes an int. */
	static void positive(Frame frame) {
		if (frame.kind == Frame.BOOL) {
			frame.kind = Frame.INT;
		}
	}

	/** Python's {@code abs}: a bool becomes an int. */
	static void abs(Frame frame) {
		switch (frame.kind) {
			case Frame.FLOAT -> frame.real = Math.abs(frame.real);
			case Frame.BIG -> frame.setBig(nonNull(frame.big).abs());
			default -> {
				if (frame.integer < 0) {
					negate(frame);
				}
				else {
					frame.kind = Frame.INT;
				}
			}
		}
	}

	/**
	 * CPython's {@code math_1}: a NaN or infinite result from a finite argument raises.
	 */
	static double checkMathResult(double argument, double result, boolean canOverflow) {
		if (Double.isNaN(result) && !Double.isNaN(argument)) {
			throw valueError("math domain error");
		}
		if (Double.isInfinite(result) && Double.isFinite(argument)) {
			throw canOverflow ? overflow("math range error") : valueError("math domain error");
		}
		return result;
	}

	/**
	 * CPython's {@code math.log} of one argument, which also takes ints too large for a
	 * double.
	 */
	static double log(int kind, long integer, double real, @Nullable BigInteger big) {
		switch (kind) {
			case Frame.FLOAT -> {
				double x = real;
				if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
					return x;
				}
				if (x > 0.0) {
					return Math.log(x);
				}
				throw valueError("math domain error");
			}
			case Frame.BIG -> {
				BigInteger x = nonNull(big);
				if (x.signum() <= 0) {
					throw valueError("math domain error");
				}
				double approximation = x.doubleValue();
				if (Double.isFinite(approximation)) {
					return Math.log(approximation);
				}
				return logOfHugeInt(x);
			}
			default -> {
				if (integer <= 0) {
					throw valueError("math domain error");
				}
				return Math.log(integer);
			}
		}
	}

	/**
	 * {@code log(x) + log(2) * e} with {@code (x, e)} as CPython's {@code _PyLong_Frexp}
	 * computes them.
	 */
	private static double logOfHugeInt(BigInteger value) {
		int bits = value.bitLength();
		long top = value.shiftRight(bits - 55).longValue();
		long mantissa = top >> 2;
		boolean half = (top & 2) != 0;
		boolean rest = (top & 1) != 0 || value.getLowestSetBit() < bits - 55;
		if (half && (rest || (mantissa & 1) != 0)) {
			mantissa++;
		}
		if (mantissa == TWO_TO_53) {
			mantissa >>= 1;
			bits++;
		}
		double fraction = mantissa / (double) TWO_TO_53;
		return Math.log(fraction) + Math.log(2.0) * bits;
	}

	/**
	 * Python's {@code math.floor} or {@code math.ceil}: ints pass through, floats become
	 * ints.
	 */
	static void floorOrCeil(Frame frame, boolean ceil) {
		if (frame.kind == Frame.FLOAT) {
			double value = ceil ? Math.ceil(frame.real) : Math.floor(frame.real);
			if (Double.isNaN(value)) {
				throw valueError("cannot convert float NaN to integer");
			}
			if (Double.isInfinite(value)) {
				throw overflow("cannot convert float infinity to integer");
			}
			if (-TWO_TO_63 <= value && value < TWO_TO_63) {
				frame.setInt((long) value);
			}
			else {
				frame.setBig(new BigDecimal(value).toBigInteger());
			}
		}
		else if (frame.kind == Frame.BOOL) {
			frame.kind = Frame.INT;
		}
	}

	// Conversions

	/** Python's {@code float(value)}. */
	static double toDouble(int kind, long integer, double real, @Nullable BigInteger big) {
		return switch (kind) {
			case Frame.FLOAT -> real;
			case Frame.BIG -> bigToDouble(nonNull(big));
			default -> integer;
		};
	}

	private static double bigToDouble(BigInteger value) {
		// BigInteger.doubleValue rounds half-even like PyLong_AsDouble, giving infinity
		// where it raises
		double result = value.doubleValue();
		if (Double.isInfinite(result)) {
			throw overflow("int too large to convert to float");
		}
		return result;
	}

	private static BigInteger toBig(int kind, long integer, @Nullable BigInteger big) {
		return (kind == Frame.BIG) ? nonNull(big) : BigInteger.valueOf(integer);
	}

	static BigInteger nonNull(@Nullable BigInteger value) {
		if (value == null) {
			throw new IllegalStateException("no big int in the frame");
		}
		return value;
	}

	// Errors in Python's words

	static ExpressionEvaluationException intTooLarge() {
		return overflow("integer result too large (more than " + MAX_INT_BITS + " bits)");
	}

	private static ExpressionEvaluationException zeroDivision(String message) {
		return new ExpressionEvaluationException("ZeroDivisionError", message);
	}

	private static ExpressionEvaluationException overflow(String message) {
		return new ExpressionEvaluationException("OverflowError", message);
	}

	private static ExpressionEvaluationException valueError(String message) {
		return new ExpressionEvaluationException("ValueError", message);
	}

}
