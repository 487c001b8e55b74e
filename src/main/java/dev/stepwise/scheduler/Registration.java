package dev.stepwise.scheduler;

import java.util.List;
import java.util.Map;

import dev.stepwise.schedule.ParamGroup;
import org.jspecify.annotations.Nullable;

/**
 * A request to register a scheduler.
 *
 * @param id the id to register under, or {@code null} for a generated one
 * @param paramGroups the optimizer's param groups
 * @param scheduler the scheduler spec in the engine's plain-Java form
 * @param lastEpoch 0 (or -1, the same) or the number of steps already taken
 * @param attempt the training attempt that registers, or {@code null}
 */
public record Registration(@Nullable String id, List<ParamGroup> paramGroups, Map<String, Object> scheduler,
		long lastEpoch, @Nullable String attempt) {

	/** A registration without an attempt. */
	public Registration(@Nullable String id, List<ParamGroup> paramGroups, Map<String, Object> scheduler,
			long lastEpoch) {
		this(id, paramGroups, scheduler, lastEpoch, null);
	}

}
