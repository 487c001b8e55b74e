package dev.stepwise.scheduler;

import java.util.List;

import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleState;

import org.springframework.stereotype.Service;

/**
 * Computes a schedule without storing anything.
 */
@Service
public class PreviewService {

	/**
	 * The states after registration and after each step.
	 * @throws dev.stepwise.schedule.InvalidScheduleException when the engine refuses the
	 * spec
	 * @throws InvalidRequestException when the preview is too large or has more metrics
	 * than steps
	 */
	public List<ScheduleState> preview(PreviewCommand command) {
		if ((long) (command.steps() + 1) * command.paramGroups().size() > Limits.MAX_PREVIEW_VALUES) {
			throw new InvalidRequestException("steps",
					"(steps + 1) x param groups must not exceed " + Limits.MAX_PREVIEW_VALUES);
		}
		if (command.metrics().size() > command.steps()) {
			throw new InvalidRequestException("metrics", "at most one metric per step");
		}
		Schedule schedule = Schedule.of(command.scheduler(), command.paramGroups());
		return schedule.preview(Math.max(0, command.lastEpoch()), command.steps(), command.metrics());
	}

}
