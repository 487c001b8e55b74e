package dev.stepwise.schedule.expression;

import java.math.BigInteger;

import org.jspecify.annotations.Nullable;

/**
 * The mutable register one evaluation writes each node's Python value into, so that the
 * hot path allocates nothing but this frame.
 */
final class Frame {

	/** A Python {@code bool}, 0 or 1 in {@link #integer}. */
	static final int BOOL = 0;

	/** A Python {@code int} that fits in {@link #integer}. */
	static final int INT = 1;

	/** A Python {@code int} in {@link #big}, always outside the {@code long} range. */
	static final int BIG = 2;

	/** A Python {@code float} in {@link #real}. */
	static final int FLOAT = 3;

	final long variable;

	int kind;

	long integer;

	double real;

	@Nullable BigInteger big;

	Frame(long variable) {
		this.variable = variable;
	}

	void setInt(long value) {
		this.kind = INT;
		this.integer = value;
	}

	void setBool(boolean value) {
		this.kind = BOOL;
		this.integer = value ? 1 : 0;
	}

	void setFloat(double value) {
		this.kind = FLOAT;
		this.real = value;
	}

	/** Stores an int, back in the {@code long} fast path whenever it fits. */
	void setBig(BigInteger value) {
		if (value.bitLength() < 64) {
			setInt(value.longValue());
			return;
		}
		if (value.bitLength() > PyMath.MAX_INT_BITS) {
			throw PyMath.intTooLarge();
		}
		this.kind = BIG;
		this.big = value;
	}

	/** Python's truth value: zero is false, NaN is true. */
	boolean truthy() {
		return switch (this.kind) {
			case FLOAT -> this.real != 0.0;
			case BIG -> true;
			default -> this.integer != 0;
		};
	}

	/** Python's {@code float(value)}. */
	double toDouble() {
		return PyMath.toDouble(this.kind, this.integer, this.real, this.big);
	}

	/**
	 * The value as a boxed Python-like object: {@link Boolean}, {@link Long},
	 * {@link BigInteger} or {@link Double}.
	 */
	Object toObject() {
		return switch (this.kind) {
			case BOOL -> this.integer != 0;
			case INT -> this.integer;
			case BIG -> PyMath.nonNull(this.big);
			default -> this.real;
		};
	}

}
