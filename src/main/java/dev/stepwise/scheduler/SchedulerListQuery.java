package dev.stepwise.scheduler;

import org.jspecify.annotations.Nullable;

/**
 * Which page of the list of schedulers, filtered and sorted how.
 *
 * @param page the page number, from 0
 * @param size the page size
 * @param idContains only ids containing this (case-sensitive), or {@code null} for all
 * @param sort the order
 * @param ascending whether the order is ascending
 */
public record SchedulerListQuery(int page, int size, @Nullable String idContains, SchedulerSort sort,
		boolean ascending) {

	/** The list as it always was: newest first, unfiltered. */
	public static SchedulerListQuery newestFirst(int page, int size) {
		return new SchedulerListQuery(page, size, null, SchedulerSort.CREATED_AT, false);
	}

	/**
	 * {@code idContains} as a SQL {@code LIKE} pattern escaped with {@code \} (every id
	 * without a filter).
	 */
	public String idContainsLike() {
		if (this.idContains == null) {
			return "%";
		}
		StringBuilder like = new StringBuilder(this.idContains.length() + 4).append('%');
		for (char c : this.idContains.toCharArray()) {
			if (c == '%' || c == '_' || c == '\\') {
				like.append('\\');
			}
			like.append(c);
		}
		return like.append('%').toString();
	}

}
