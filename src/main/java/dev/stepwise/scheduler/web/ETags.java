package dev.stepwise.scheduler.web;
import org.jspecify.annotations.Nullable;

/**
 * Matches {@code If-None-Match} against an entity tag (weak comparison, as RFC 9110 asks for GET).
 */
final class ETags {

	private ETags() {
	}

	static boolean matches(@Nullable String ifNoneMatch, String etag) {
		if (ifNoneMatch == null) {
			return false;
		}
		for (String candidate : ifNoneMatch.split(",")) {
			String tag = candidate.trim();
			if (tag.equals("*") || strip(tag).equals(strip(etag))) {
				return true;
			}
		}
		return false;
	}

	private static String strip(String tag) {
		return tag.startsWith("W/") ? tag.substring(2) : tag;
	}

}
