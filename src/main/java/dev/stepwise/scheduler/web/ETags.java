package dev.stepwise.scheduler.web;

import dev.stepwise.scheduler.CurrentPosition;
import org.jspecify.annotations.Nullable;

/**
 * The entity tags of a scheduler's current position, and their match against
 * {@code If-None-Match} (weak comparison, as RFC 9110 asks for GET).
 */
final class ETags {

	private ETags() {
	}

	/**
	 * The tag of a position: its row's key and version, so it changes with every step and
	 * every re-registration.
	 */
	static String of(CurrentPosition current) {
		return "\"" + current.rowKey() + "-" + current.rowVersion() + "\"";
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
