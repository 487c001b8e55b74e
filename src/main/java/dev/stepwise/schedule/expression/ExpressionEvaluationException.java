package dev.stepwise.schedule.expression;

/**
 * An expression that CPython would raise on for the given value, with Python's message,
 * e.g. {@code float division by zero} or {@code math domain error}.
 */
public final class ExpressionEvaluationException extends ArithmeticException {

	private static final long serialVersionUID = 1L;

	private final String pythonType;

	ExpressionEvaluationException(String pythonType, String message) {
		super(message);
		this.pythonType = pythonType;
	}

	/** The Python exception class CPython would raise, e.g. {@code ZeroDivisionError}. */
	public String pythonType() {
		return this.pythonType;
	}

}
