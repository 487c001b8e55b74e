package dev.stepwise.scheduler;

import java.util.List;

/**
 * One page of registered schedulers, newest first.
 *
 * @param items the schedulers of this page
 * @param page the page number, from 0
 * @param size the page size
 * @param totalItems how many schedulers are registered
 * @param totalPages how many pages of this size there are
 */
public record SchedulerPage(List<SchedulerDetails> items, int page, int size, long totalItems, int totalPages) {

}
