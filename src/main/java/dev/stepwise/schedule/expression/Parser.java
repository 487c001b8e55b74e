package dev.stepwise.schedule.expression;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A tokenizer and recursive-descent parser for the accepted subset of Python's expression
 * grammar, rejecting everything else at parse time with the offending position.
 */
final class Parser {

	/** The longest source accepted, in characters. */
	static final int MAX_LENGTH = 1000;

	/** The deepest nesting of parentheses, calls and operators accepted. */
	static final int MAX_DEPTH = 64;

	private static final Set<String> KEYWORDS = Set.of("False", "None", "True", "and", "as", "assert", "async", "await",
			"break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
			"if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
			"with", "yield");

	private static final Set<String> CONSTANTS = Set.of("pi", "e");

	private static final int NUMBER = 0;

	private static final int NAME = 1;

	private static final int OPERATOR = 2;

	private static final int END = 3;

	private final String variable;

	private final List<Token> tokens;

	private int index;

	private int depth;

	private boolean variableUsed;

	private Parser(String source, String variable) {
		this.variable = variable;
		this.tokens = tokenize(source);
	}

	/**
	 * A parsed syntax tree, whether the source mentions the variable anywhere, and its
	 * size: the number of tokens, a bound of the tree's node count (every node comes from
	 * a token of its own) that the cost model weighs an evaluation by.
	 */
	record Tree(Node root, boolean usesVariable, int size) {
	}

	/** Parses a source into an immutable, partly constant-folded syntax tree. */
	static Node parse(String source, String variable) {
		return parseTree(source, variable).root();
	}

	/** Parses a source, noting whether it mentions the variable. */
	static Tree parseTree(String source, String variable) {
		if (source.length() > MAX_LENGTH) {
			throw new ExpressionSyntaxException(
					"expression too long (" + source.length() + " characters, at most " + MAX_LENGTH + ")", MAX_LENGTH,
					"");
		}
		Parser parser = new Parser(source, variable);
		if (parser.peek().type == END) {
			throw new ExpressionSyntaxException("empty expression", 0, "");
		}
		Node root = parser.expression();
		Token trailing = parser.peek();
		if (trailing.type != END) {
			if (trailing.is(",")) {
				throw error("tuples are not allowed", trailing.position);
			}
			if (trailing.is("=")) {
				throw error("assignment is not allowed", trailing.position);
			}
			throw parser.unexpected(trailing, "an operator or the end of the expression");
		}
		// the tokens less the end marker
		return new Tree(root, parser.variableUsed, parser.tokens.size() - 1);
	}

	/**
	 * Checks that a variable name is a Python identifier that hides neither a keyword nor
	 * a built-in.
	 */
	static void checkVariable(String variable) {
		if (!isIdentifier(variable) || KEYWORDS.contains(variable) || CONSTANTS.contains(variable)
				|| function(variable) != null) {
			throw new IllegalArgumentException("variable must be a Python identifier other than a keyword, "
					+ allowedNames("") + " (got '" + variable + "')");
		}
	}

	// Grammar, from the lowest precedence to the highest as in Python's

	// expression: disjunction ['if' disjunction 'else' expression]
	private Node expression() {
		Node body = disjunction();
		if (!peek().isKeyword("if")) {
			return body;
		}
		next();
		Node condition = disjunction();
		Token elseToken = peek();
		if (!elseToken.isKeyword("else")) {
			throw unexpected(elseToken, "'else'");
		}
		enter(next());
		Node orElse = expression();
		leave();
		return fold(new Node.Conditional(condition, body, orElse), condition, body, orElse);
	}

	// disjunction: conjunction ('or' conjunction)*
	private Node disjunction() {
		Node first = conjunction();
		if (!peek().isKeyword("or")) {
			return first;
		}
		List<Node> operands = new ArrayList<>(List.of(first));
		while (peek().isKeyword("or")) {
			next();
			operands.add(conjunction());
		}
		Node[] array = operands.toArray(new Node[0]);
		return fold(new Node.Logical(false, array), array);
	}

	// conjunction: inversion ('and' inversion)*
	private Node conjunction() {
		Node first = inversion();
		if (!peek().isKeyword("and")) {
			return first;
		}
		List<Node> operands = new ArrayList<>(List.of(first));
		while (peek().isKeyword("and")) {
			next();
			operands.add(inversion());
		}
		Node[] array = operands.toArray(new Node[0]);
		return fold(new Node.Logical(true, array), array);
	}

	// inversion: 'not' inversion | comparison
	private Node inversion() {
		if (!peek().isKeyword("not")) {
			return comparison();
		}
		enter(next());
		Node operand = inversion();
		leave();
		return fold(new Node.Unary(Node.Unary.NOT, operand), operand);
	}

	// comparison: sum (('<' | '<=' | '>' | '>=' | '==' | '!=') sum)*
	private Node comparison() {
		Node first = sum();
		if (comparisonOperator(peek()) < 0) {
			return first;
		}
		List<Node> operands = new ArrayList<>(List.of(first));
		List<Integer> operators = new ArrayList<>();
		int operator;
		while ((operator = comparisonOperator(peek())) >= 0) {
			next();
			operators.add(operator);
			operands.add(sum());
		}
		Node[] array = operands.toArray(new Node[0]);
		return fold(new Node.Comparison(array, operators.stream().mapToInt(Integer::intValue).toArray()), array);
	}

	private int comparisonOperator(Token token) {
		if (token.type == NAME && (token.text.equals("in") || token.text.equals("is")
				|| (token.text.equals("not") && peekAfter().isKeyword("in")))) {
			String operator = token.text.equals("not") ? "not in" : token.text;
			throw error("operator '" + operator + "' is not allowed", token.position);
		}
		if (token.type != OPERATOR) {
			return -1;
		}
		return switch (token.text) {
			case "<" -> PyMath.LESS;
			case "<=" -> PyMath.LESS_EQUAL;
			case "==" -> PyMath.EQUAL;
			case "!=" -> PyMath.NOT_EQUAL;
			case ">" -> PyMath.GREATER;
			case ">=" -> PyMath.GREATER_EQUAL;
			default -> -1;
		};
	}

	// sum: term (('+' | '-') term)*
	private Node sum() {
		Node left = term();
		while (peek().is("+") || peek().is("-")) {
			int operator = next().is("+") ? PyMath.ADD : PyMath.SUBTRACT;
			Node right = term();
			left = fold(new Node.Binary(operator, left, right), left, right);
		}
		return left;
	}

	// term: factor (('*' | '/' | '//' | '%') factor)*
	private Node term() {
		Node left = factor();
		while (true) {
			Token token = peek();
			int operator;
			if (token.is("*")) {
				operator = PyMath.MULTIPLY;
			}
			else if (token.is("/")) {
				operator = PyMath.TRUE_DIVIDE;
			}
			else if (token.is("//")) {
				operator = PyMath.FLOOR_DIVIDE;
			}
			else if (token.is("%")) {
				operator = PyMath.MODULO;
			}
			else {
				return left;
			}
			next();
			Node right = factor();
			left = fold(new Node.Binary(operator, left, right), left, right);
		}
	}

	// factor: ('+' | '-') factor | power
	private Node factor() {
		Token token = peek();
		if (!token.is("+") && !token.is("-")) {
			return power();
		}
		enter(next());
		Node operand = factor();
		leave();
		return fold(new Node.Unary(token.is("-") ? Node.Unary.NEGATE : Node.Unary.POSITIVE, operand), operand);
	}

	// power: primary ['**' factor], so right-associative and tighter than a unary minus
	// on its left
	private Node power() {
		Node base = primary();
		if (!peek().is("**")) {
			return base;
		}
		enter(next());
		Node exponent = factor();
		leave();
		return fold(new Node.Binary(PyMath.POWER, base, exponent), base, exponent);
	}

	// primary: NUMBER | 'True' | 'False' | NAME | FUNCTION '(' arguments ')' | '('
	// expression ')'
	private Node primary() {
		Token token = next();
		Node result;
		if (token.type == NUMBER) {
			result = number(token);
		}
		else if (token.type == NAME) {
			result = name(token);
		}
		else if (token.is("(")) {
			enter(token);
			result = expression();
			Token close = peek();
			if (close.is(",")) {
				throw error("tuples are not allowed", close.position);
			}
			if (!close.is(")")) {
				throw unexpected(close, "')'");
			}
			next();
			leave();
		}
		else {
			throw unexpected(token, "a number, a name or '('");
		}
		if (peek().is("(")) {
			throw error("only " + functionNames() + " can be called", peek().position);
		}
		return result;
	}

	private Node name(Token token) {
		String name = token.text;
		if (name.equals(this.variable)) {
			checkNotCalled(token);
			this.variableUsed = true;
			return new Node.Variable();
		}
		switch (name) {
			case "True", "False" -> {
				Frame value = new Frame(0);
				value.setBool(name.equals("True"));
				return new Node.Constant(value);
			}
			case "pi", "e" -> {
				checkNotCalled(token);
				Frame value = new Frame(0);
				value.setFloat(name.equals("pi") ? Math.PI : Math.E);
				return new Node.Constant(value);
			}
			case "lambda" -> throw error("lambda expressions are not allowed", token.position);
			case "None" -> throw error("'None' is not allowed", token.position);
			default -> {
			}
		}
		if (KEYWORDS.contains(name)) {
			throw unexpected(token, "a number, a name or '('");
		}
		Node.Function function = function(name);
		if (function == null) {
			throw new ExpressionSyntaxException("unknown name '" + name + "'", token.position,
					"; allowed: " + allowedNames(this.variable + ", "));
		}
		return call(token, function);
	}

	private void checkNotCalled(Token token) {
		if (peek().is("(")) {
			throw error("'" + token.text + "' is not a function", token.position);
		}
	}

	private Node call(Token name, Node.Function function) {
		if (!peek().is("(")) {
			throw error("function '" + name.text + "' must be called", name.position);
		}
		enter(next());
		List<Node> arguments = new ArrayList<>();
		while (!peek().is(")")) {
			Token token = peek();
			if (token.type == NAME && peekAfter().is("=")) {
				throw error("keyword arguments are not allowed", token.position);
			}
			if (token.is("*") || token.is("**")) {
				throw error("argument unpacking is not allowed", token.position);
			}
			arguments.add(expression());
			if (peek().is(",")) {
				next();
			}
			else if (!peek().is(")")) {
				throw unexpected(peek(), "',' or ')'");
			}
		}
		next();
		leave();
		int count = arguments.size();
		if (count < function.minArguments || count > function.maxArguments) {
			String expected = (function.minArguments == function.maxArguments) ? "exactly one argument"
					: (function.maxArguments == Integer.MAX_VALUE) ? "at least " + function.minArguments + " arguments"
							: function.minArguments + " or " + function.maxArguments + " arguments";
			throw error(name.text + "() takes " + expected + " (" + count + " given)", name.position);
		}
		Node[] array = arguments.toArray(new Node[0]);
		return fold(new Node.Call(function, array), array);
	}

	private Node number(Token token) {
		String text = token.text.replace("_", "");
		Frame value = new Frame(0);
		int radix = radix(text);
		if (radix != 10) {
			value.setBig(new BigInteger(text.substring(2), radix));
		}
		else if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
			// Java's parser rounds correctly, like CPython's; too large gives infinity in
			// both
			value.setFloat(Double.parseDouble(text));
		}
		else {
			value.setBig(new BigInteger(text));
		}
		return new Node.Constant(value);
	}

	private static int radix(String text) {
		if (text.length() > 1 && text.charAt(0) == '0') {
			switch (text.charAt(1)) {
				case 'x', 'X' -> {
					return 16;
				}
				case 'o', 'O' -> {
					return 8;
				}
				case 'b', 'B' -> {
					return 2;
				}
				default -> {
				}
			}
		}
		return 10;
	}

	/**
	 * Replaces a node whose operands are all constants by its value, unless evaluating it
	 * raises.
	 */
	private static Node fold(Node node, Node... operands) {
		for (Node operand : operands) {
			if (!operand.isConstant()) {
				return node;
			}
		}
		try {
			Frame value = new Frame(0);
			node.evaluate(value);
			return new Node.Constant(value);
		}
		catch (ExpressionEvaluationException ex) {
			// raise on every evaluation instead, as Python would
			return node;
		}
	}

	/** Counts one more level of nesting, opened by the given token. */
	private void enter(Token opening) {
		if (++this.depth > MAX_DEPTH) {
			throw error("expression nested too deeply (more than " + MAX_DEPTH + " levels)", opening.position);
		}
	}

	private void leave() {
		this.depth--;
	}

	private Token peek() {
		Token token = this.tokens.get(this.index);
		if (token.error != null) {
			throw token.error;
		}
		return token;
	}

	private Token peekAfter() {
		return this.tokens.get(Math.min(this.index + 1, this.tokens.size() - 1));
	}

	private Token next() {
		Token token = peek();
		if (token.type != END) {
			this.index++;
		}
		return token;
	}

	private ExpressionSyntaxException unexpected(Token token, String expected) {
		String found = switch (token.type) {
			case END -> "end of expression";
			case NUMBER -> "number " + token.text;
			default -> "'" + token.text + "'";
		};
		return new ExpressionSyntaxException("unexpected " + found, token.position, "; expected " + expected);
	}

	private static ExpressionSyntaxException error(String problem, int position) {
		return new ExpressionSyntaxException(problem, position, "");
	}

	private static Node.@Nullable Function function(String name) {
		for (Node.Function function : Node.Function.values()) {
			if (function.pythonName.equals(name)) {
				return function;
			}
		}
		return null;
	}

	private static String functionNames() {
		StringBuilder names = new StringBuilder();
		for (Node.Function function : Node.Function.values()) {
			names.append((names.length() > 0) ? ", " : "").append(function.pythonName);
		}
		return names.toString();
	}

	private static String allowedNames(String variable) {
		return variable + "pi, e, " + functionNames() + ", True, False";
	}

	// Tokenizer

	/**
	 * Splits the source into tokens; a lexical error becomes the last token, so that the
	 * parser reports problems in reading order (e.g. {@code lambda} before the {@code :}
	 * that follows it).
	 */
	private static List<Token> tokenize(String source) {
		List<Token> tokens = new ArrayList<>();
		try {
			scan(source, tokens);
			tokens.add(new Token(END, "", source.length()));
		}
		catch (ExpressionSyntaxException ex) {
			tokens.add(new Token(ex));
		}
		return tokens;
	}

	private static void scan(String source, List<Token> tokens) {
		int parentheses = 0;
		int length = source.length();
		int i = 0;
		while (i < length) {
			char c = source.charAt(i);
			if (isBlank(c)) {
				i++;
			}
			else if (c == '\n' || c == '\r') {
				// Python allows line breaks inside parentheses, blank lines first and
				// line breaks last
				if (parentheses == 0 && !(tokens.isEmpty() ? isLeadingBlankLine(source, i) : isTrailing(source, i))) {
					throw error("unexpected line break", i);
				}
				i++;
			}
			else if (isDigit(c) || (c == '.' && i + 1 < length && isDigit(source.charAt(i + 1)))) {
				int end = scanNumber(source, i);
				tokens.add(new Token(NUMBER, source.substring(i, end), i));
				i = end;
			}
			else if (isIdentifierStart(c)) {
				int end = i + 1;
				while (end < length && isIdentifierPart(source.charAt(end))) {
					end++;
				}
				if (end < length && source.charAt(end) > 127) {
					throw unexpectedCharacter(source, end);
				}
				tokens.add(new Token(NAME, source.substring(i, end), i));
				i = end;
			}
			else {
				String operator = scanOperator(source, i);
				if (operator.equals("(")) {
					parentheses++;
				}
				else if (operator.equals(")") && parentheses > 0) {
					parentheses--;
				}
				tokens.add(new Token(OPERATOR, operator, i));
				i += operator.length();
			}
		}
	}

	/**
	 * Whether the line after a line break is blank or starts unindented, as Python
	 * requires.
	 */
	private static boolean isLeadingBlankLine(String source, int i) {
		int next = i + 1;
		if (next >= source.length() || (source.charAt(next) != ' ' && source.charAt(next) != '\t')) {
			return true;
		}
		int end = next;
		while (end < source.length() && isBlank(source.charAt(end))) {
			end++;
		}
		return end >= source.length() || source.charAt(end) == '\n' || source.charAt(end) == '\r';
	}

	/**
	 * Whether only blank lines follow, the last one unindented (Python: "unexpected
	 * indent").
	 */
	private static boolean isTrailing(String source, int i) {
		int lastLine = i + 1;
		for (int j = i; j < source.length(); j++) {
			char c = source.charAt(j);
			if (c == '\n' || c == '\r') {
				lastLine = j + 1;
			}
			else if (!isBlank(c)) {
				return false;
			}
		}
		return lastLine >= source.length() || (source.charAt(lastLine) != ' ' && source.charAt(lastLine) != '\t');
	}

	private static boolean isBlank(char c) {
		return c == ' ' || c == '\t' || c == '\f';
	}

	private static String scanOperator(String source, int i) {
		char c = source.charAt(i);
		char next = (i + 1 < source.length()) ? source.charAt(i + 1) : '\0';
		switch (c) {
			case '(', ')', ',', '+', '-', '%' -> {
				return String.valueOf(c);
			}
			case '*', '/' -> {
				return (next == c) ? "" + c + c : String.valueOf(c);
			}
			case '<', '>' -> {
				if (next == c) {
					throw error("operator '" + c + c + "' is not allowed", i);
				}
				return (next == '=') ? c + "=" : String.valueOf(c);
			}
			case '=' -> {
				return (next == '=') ? "==" : "=";
			}
			case '!' -> {
				if (next == '=') {
					return "!=";
				}
			}
			case '.' -> throw error("attribute access is not allowed", i);
			case '[', ']' -> throw error("subscripts and lists are not allowed", i);
			case '{', '}' -> throw error("dicts and sets are not allowed", i);
			case '\'', '"' -> throw error("string literals are not allowed", i);
			case '~', '&', '|', '^', '@' -> throw error("operator '" + c + "' is not allowed", i);
			case ':' -> throw error((next == '=') ? "assignment expressions are not allowed" : "unexpected ':'", i);
			case '#' -> throw error("comments are not allowed", i);
			case '\\' -> throw error("line continuations are not allowed", i);
			default -> {
			}
		}
		throw unexpectedCharacter(source, i);
	}

	private static ExpressionSyntaxException unexpectedCharacter(String source, int i) {
		char c = source.charAt(i);
		String shown = (c >= 32 && c < 127) ? "'" + c + "'" : String.format("U+%04X", (int) c);
		return error("unexpected character " + shown, i);
	}

	/**
	 * Scans a Python 3.11 number literal, rejecting complex literals and malformed ones.
	 */
	private static int scanNumber(String source, int start) {
		int length = source.length();
		int i = start;
		if (source.charAt(i) == '0' && i + 1 < length && "xXoObB".indexOf(source.charAt(i + 1)) >= 0) {
			char prefix = Character.toLowerCase(source.charAt(i + 1));
			int radix = (prefix == 'x') ? 16 : (prefix == 'o') ? 8 : 2;
			String kind = (prefix == 'x') ? "hexadecimal" : (prefix == 'o') ? "octal" : "binary";
			i += 2;
			do {
				if (i < length && source.charAt(i) == '_') {
					i++;
				}
				if (i >= length || Character.digit(source.charAt(i), radix) < 0 || source.charAt(i) > 127) {
					throw error("invalid " + kind + " literal", start);
				}
				while (i < length && source.charAt(i) <= 127 && Character.digit(source.charAt(i), radix) >= 0) {
					i++;
				}
			}
			while (i < length && source.charAt(i) == '_');
			return checkNumberEnd(source, start, i, kind);
		}
		boolean isFloat = false;
		if (source.charAt(i) != '.') {
			i = scanDigits(source, start, i);
		}
		String integerPart = source.substring(start, i);
		if (i < length && source.charAt(i) == '.') {
			isFloat = true;
			i++;
			if (i < length && isDigit(source.charAt(i))) {
				i = scanDigits(source, start, i);
			}
		}
		if (i < length && (source.charAt(i) == 'e' || source.charAt(i) == 'E')) {
			int sign = (i + 1 < length && (source.charAt(i + 1) == '+' || source.charAt(i + 1) == '-')) ? 1 : 0;
			if (i + 1 + sign >= length || !isDigit(source.charAt(i + 1 + sign))) {
				throw error("invalid decimal literal", start);
			}
			isFloat = true;
			i = scanDigits(source, start, i + 1 + sign);
		}
		if (i < length && (source.charAt(i) == 'j' || source.charAt(i) == 'J')) {
			throw error("complex literals are not allowed", start);
		}
		if (!isFloat && integerPart.length() > 1 && integerPart.charAt(0) == '0'
				&& !integerPart.replace("_", "").chars().allMatch((digit) -> digit == '0')) {
			throw error("leading zeros in decimal integer literals are not permitted", start);
		}
		return checkNumberEnd(source, start, i, "decimal");
	}

	// digitpart: digit (['_'] digit)*
	private static int scanDigits(String source, int start, int i) {
		int length = source.length();
		while (true) {
			while (i < length && isDigit(source.charAt(i))) {
				i++;
			}
			if (i < length && source.charAt(i) == '_') {
				if (i + 1 >= length || !isDigit(source.charAt(i + 1))) {
					throw error("invalid decimal literal", start);
				}
				i++;
			}
			else {
				return i;
			}
		}
	}

	private static int checkNumberEnd(String source, int start, int end, String kind) {
		if (end < source.length() && (isIdentifierPart(source.charAt(end)) || source.charAt(end) > 127)) {
			throw error("invalid " + kind + " literal", start);
		}
		return end;
	}

	private static boolean isIdentifier(String name) {
		if (name.isEmpty() || !isIdentifierStart(name.charAt(0))) {
			return false;
		}
		for (int i = 1; i < name.length(); i++) {
			if (!isIdentifierPart(name.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private static boolean isIdentifierStart(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
	}

	private static boolean isIdentifierPart(char c) {
		return isIdentifierStart(c) || isDigit(c);
	}

	/**
	 * A token: its type, its text and the 0-based offset where it starts, or a lexical
	 * error.
	 */
	private static final class Token {

		final int type;

		final String text;

		final int position;

		final @Nullable ExpressionSyntaxException error;

		Token(int type, String text, int position) {
			this.type = type;
			this.text = text;
			this.position = position;
			this.error = null;
		}

		Token(ExpressionSyntaxException error) {
			this.type = END;
			this.text = "";
			this.position = error.position();
			this.error = error;
		}

		boolean is(String operator) {
			return this.type == OPERATOR && this.text.equals(operator);
		}

		boolean isKeyword(String keyword) {
			return this.type == NAME && this.text.equals(keyword);
		}

	}

}
