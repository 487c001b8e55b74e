package dev.stepwise.scheduler;

import org.jspecify.annotations.Nullable;

/**
 * Which schedulers a caller may see, and whether it may change them: an id pattern and an
 * access level. The pattern is a scheduler id in which {@code *} stands for any run of id
 * characters (none included): {@code resnet50-*} matches {@code resnet50-} and
 * {@code resnet50-run17}, {@code *} matches every id, {@code *-eval} every id ending in
 * {@code -eval}; every other character matches itself, case-sensitively. The
 * authentication puts the caller's scope on the request ({@link #ATTRIBUTE}); a request
 * without one is not restricted (authentication off).
 *
 * @param pattern the id pattern
 * @param write whether the caller may register, step, resume, restore and delete the
 * schedulers it matches (else it may only read them)
 */
public record IdScope(String pattern, boolean write) {

	/** The request attribute holding the caller's scope. */
	public static final String ATTRIBUTE = "dev.stepwise.scheduler.IdScope";

	/** What a scope pattern may be: id characters and {@code *}, 1 to 128 of them. */
	public static final String PATTERN = "[A-Za-z0-9._*-]{1,128}";

	/** The longest pattern {@link #PATTERN} allows. */
	private static final int MAX_LENGTH = 128;

	/** Every id, with write access (the admin token). */
	public static final IdScope EVERYTHING = new IdScope("*", true);

	public IdScope {
		if (!valid(pattern)) {
			throw new InvalidRequestException("scope",
					"must be 1 to 128 of the characters A-Z a-z 0-9 . _ - and the wildcard *");
		}
	}

	/**
	 * Whether {@code pattern} matches {@link #PATTERN}, by a loop: a scope is built on
	 * every authenticated request, and the regular expression cost it about 3 µs.
	 */
	static boolean valid(String pattern) {
		if (pattern.isEmpty() || pattern.length() > MAX_LENGTH) {
			return false;
		}
		for (int i = 0; i < pattern.length(); i++) {
			char c = pattern.charAt(i);
			boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.'
					|| c == '_' || c == '*' || c == '-';
			if (!allowed) {
				return false;
			}
		}
		return true;
	}

	/** The scope of the request, or null when nothing restricts it. */
	public static @Nullable IdScope of(Object request) {
		return (request instanceof IdScope scope) ? scope : null;
	}

	/** Whether the pattern matches {@code id}. */
	public boolean matches(String id) {
		return matches(this.pattern, 0, id, 0);
	}

	/** Whether the caller may read the scheduler {@code id}. */
	public boolean mayRead(String id) {
		return matches(id);
	}

	/** Whether the caller may change the scheduler {@code id}. */
	public boolean mayWrite(String id) {
		return this.write && matches(id);
	}

	/**
	 * The pattern as a SQL {@code LIKE} pattern with {@code \} as its escape character
	 * ({@code *} becomes {@code %}, a literal {@code _} is escaped).
	 */
	public String likePattern() {
		StringBuilder like = new StringBuilder(this.pattern.length() + 8);
		for (int i = 0; i < this.pattern.length(); i++) {
			char c = this.pattern.charAt(i);
			switch (c) {
				case '*' -> like.append('%');
				case '_', '%', '\\' -> like.append('\\').append(c);
				default -> like.append(c);
			}
		}
		return like.toString();
	}

	/**
	 * Glob matching with backtracking to the last star only: linear in practice, at most
	 * pattern x id steps (128 x 128), so no pattern can make it slow.
	 */
	private static boolean matches(String pattern, int p, String id, int i) {
		int star = -1;
		int resume = 0;
		while (i < id.length()) {
			if (p < pattern.length() && pattern.charAt(p) == '*') {
				star = p++;
				resume = i;
			}
			else if (p < pattern.length() && pattern.charAt(p) == id.charAt(i)) {
				p++;
				i++;
			}
			else if (star >= 0) {
				p = star + 1;
				i = ++resume;
			}
			else {
				return false;
			}
		}
		while (p < pattern.length() && pattern.charAt(p) == '*') {
			p++;
		}
		return p == pattern.length();
	}

}
