package dev.stepwise.schedule;

/**
 * The JSON shape a keyword argument takes; the reader method that reads an argument must
 * match it.
 */
public enum ArgumentKind {

	/** A JSON number, Python's float (an int is taken too). */
	NUMBER,

	/** A JSON integer, Python's int. */
	INTEGER,

	/** true or false. */
	BOOLEAN,

	/** One of a few strings, listed by {@link KeywordArgument#choices()}. */
	ENUM,

	/** A number, or a list with one number per param group. */
	NUMBER_OR_LIST,

	/** A Python expression. */
	EXPRESSION,

	/** An expression, or a list with one expression per param group. */
	EXPRESSION_OR_LIST,

	/** A list of integers. */
	INTEGER_LIST,

	/** A list of nested scheduler specs. */
	SCHEDULERS

}
