package dev.stepwise.scheduler;

import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleState;
import dev.stepwise.system.StepwiseMeters;

import org.springframework.stereotype.Service;

/**
 * Computes a schedule without storing anything, one state at a time: the answer is
 * written as it is computed, so a preview holds one state, not all of them.
 */
@Service
public class PreviewService {

	private final ComputeBulkhead bulkhead;

	private final StepwiseMeters meters;

	public PreviewService(ComputeBulkhead bulkhead, StepwiseMeters meters) {
		this.bulkhead = bulkhead;
		this.meters = meters;
	}

	/**
	 * Hands the states after registration and after each step to the sink, in order. A
	 * preview always takes a compute slot and reserves its {@link MemoryEstimate}. The
	 * schedule is run twice in the bulkhead: once to find whatever PyTorch would refuse
	 * before a single state is handed out (so a refusal is an error answer, not a
	 * truncated one), then for the sink.
	 * @throws dev.stepwise.schedule.InvalidScheduleException when the engine refuses the
	 * spec
	 * @throws dev.stepwise.schedule.StepException when PyTorch refuses a step
	 * @throws InvalidRequestException when the preview is too large or has more metrics
	 * than steps (its cost, {@link Schedule#MAX_WORK}, the engine refuses)
	 * @throws ComputeBusyException when the bulkhead has no room
	 * @throws ComputeTooLargeException when its memory estimate exceeds the whole budget
	 */
	public void preview(PreviewCommand command, Consumer<ScheduleState> sink) {
		if ((long) (command.steps() + 1) * command.paramGroups().size() > Limits.MAX_PREVIEW_VALUES) {
			throw new InvalidRequestException("steps",
					"(steps + 1) x param groups must not exceed " + Limits.MAX_PREVIEW_VALUES);
		}
		if (command.metrics().size() > command.steps()) {
			throw new InvalidRequestException("metrics", "at most one metric per step");
		}
		long bytes = MemoryEstimate.computation(command.scheduler(), command.paramGroups().size(),
				command.metrics().size());
		long start = System.nanoTime();
		this.bulkhead.call(bytes, () -> {
			Schedule schedule = Schedule.of(command.scheduler(), command.paramGroups());
			ScheduleState first = schedule.startPreview(Math.max(0, command.lastEpoch()), command.steps());
			run(schedule, first, command.steps(), command.metrics(), (state) -> {
			});
			run(schedule, first, command.steps(), command.metrics(), sink);
			return null;
		});
		this.meters.previewed((long) (command.steps() + 1) * command.paramGroups().size(), System.nanoTime() - start);
	}

	private static void run(Schedule schedule, ScheduleState first, int steps, List<@Nullable Double> metrics,
			Consumer<ScheduleState> sink) {
		ScheduleState state = first;
		sink.accept(state);
		for (int i = 0; i < steps; i++) {
			state = schedule.step(state, (i < metrics.size()) ? metrics.get(i) : null);
			sink.accept(state);
		}
	}

}
