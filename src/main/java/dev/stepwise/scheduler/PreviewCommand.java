package dev.stepwise.scheduler;

import java.util.List;
import java.util.Map;

import dev.stepwise.schedule.ParamGroup;
import org.jspecify.annotations.Nullable;

/**
 * A request to compute a schedule without storing it.
 *
 * @param paramGroups the optimizer's param groups
 * @param scheduler the scheduler spec in the engine's plain-Java form
 * @param steps how many steps to take
 * @param metrics one metric per step for schedulers that need them
 * @param lastEpoch as for a registration
 * @param consumed for a schedule in tokens or samples: what each step consumes, one per
 * step or one for all; empty for a schedule in steps
 */
public record PreviewCommand(List<ParamGroup> paramGroups, Map<String, Object> scheduler, int steps,
		List<@Nullable Double> metrics, long lastEpoch, List<Long> consumed) {

	/** A preview of a schedule in steps. */
	public PreviewCommand(List<ParamGroup> paramGroups, Map<String, Object> scheduler, int steps,
			List<@Nullable Double> metrics, long lastEpoch) {
		this(paramGroups, scheduler, steps, metrics, lastEpoch, List.of());
	}

}
