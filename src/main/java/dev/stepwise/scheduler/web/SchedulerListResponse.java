package dev.stepwise.scheduler.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.scheduler.SchedulerPage;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One page of registered schedulers, each with its summary.
 *
 * @param items the schedulers
 * @param page the page number, from 0
 * @param size the page size
 * @param totalItems how many schedulers the filters match
 * @param totalPages how many pages there are
 */
@Schema(name = "SchedulerList",
		description = "One page of schedulers, in the order asked for (newest first by" + " default).")
record SchedulerListResponse(List<SchedulerResponse> items, int page, int size,
		@JsonProperty("total_items") long totalItems, @JsonProperty("total_pages") int totalPages) {

	static SchedulerListResponse of(SchedulerPage page) {
		return new SchedulerListResponse(page.items().stream().map(SchedulerResponse::of).toList(), page.page(),
				page.size(), page.totalItems(), page.totalPages());
	}

}
