package dev.stepwise.scheduler;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the list shows of a scheduler at a glance.
 *
 * @param lrs the current lr of each param group
 * @param lastMetric the metric of the latest history record, {@code null} when it had
 * none
 * @param totalSteps how many steps the schedule lasts where its type has a length
 * ({@link dev.stepwise.schedule.ScheduleLength}), else {@code null}
 */
public record SchedulerSummary(List<Double> lrs, @Nullable Double lastMetric, @Nullable Long totalSteps) {

	public SchedulerSummary {
		lrs = List.copyOf(lrs);
	}

}
