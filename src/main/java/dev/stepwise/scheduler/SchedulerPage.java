package dev.stepwise.scheduler;

import java.util.List;

/**
 * One page of registered schedulers.
 *
 * @param items the schedulers of this page, each with its summary
 * @param page the page number, from 0
 * @param size the page size
 * @param totalItems how many schedulers the filter matches
 * @param totalPages how many pages of this size there are
 */
public record SchedulerPage(List<Listed> items, int page, int size, long totalItems, int totalPages) {

	/**
	 * A scheduler of the list.
	 *
	 * @param details the scheduler
	 * @param summary what the list shows of it at a glance
	 */
	public record Listed(SchedulerDetails details, SchedulerSummary summary) {
	}

}
