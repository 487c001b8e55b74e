package dev.stepwise.schedule.expression;

/**
 * An expression outside the accepted Python subset, with the 0-based offset of the
 * problem.
 */
public final class ExpressionSyntaxException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final int position;

	ExpressionSyntaxException(String problem, int position, String hint) {
		super(problem + " at position " + position + hint);
		this.position = position;
	}

	/** The 0-based character offset in the source where the problem was found. */
	public int position() {
		return this.position;
	}

}
