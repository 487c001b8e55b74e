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
				command.metrics().size() + command.consumed().size());
		long start = System.nanoTime();
		this.bulkhead.call(bytes, () -> {
			Schedule schedule = Schedule.of(command.scheduler(), command.paramGroups());
			checkConsumption(schedule, command);
			ScheduleState first = schedule.startPreview(Math.max(0, command.lastEpoch()), command.steps());
			schedule.previewFrom(first, command.steps(), command.metrics(), command.consumed(), (state) -> {
			});
			schedule.previewFrom(first, command.steps(), command.metrics(), command.consumed(), sink);
			return null;
		});
		this.meters.previewed((long) (command.steps() + 1) * command.paramGroups().size(), System.nanoTime() - start);
	}

	/**
	 * A schedule in tokens or samples needs one consumption per step (or one for all),
	 * each at least 1, together at most 2^53; one in steps takes none.
	 */
	private static void checkConsumption(Schedule schedule, PreviewCommand command) {
		List<Long> consumed = command.consumed();
		if (!schedule.unit().counted()) {
			if (!consumed.isEmpty()) {
				throw new InvalidRequestException("consumed",
						"is for a schedule in tokens or samples; this one counts" + " steps");
			}
			return;
		}
		if (consumed.size() != 1 && consumed.size() != command.steps()) {
			throw new InvalidRequestException("consumed",
					"needs one value per step (" + command.steps() + ") or one for every step, got " + consumed.size()
							+ ": the schedule counts " + schedule.unit().jsonName());
		}
		long total = 0;
		for (int i = 0; i < consumed.size(); i++) {
			long each = consumed.get(i);
			long times = (consumed.size() == 1) ? command.steps() : 1;
			if (each < 1 || each > (Schedule.MAX_EPOCH - total) / Math.max(1, times)) {
				throw new InvalidRequestException("consumed[" + i + "]",
						"must be a positive integer, and all of them together at most " + Schedule.MAX_EPOCH);
			}
			total += each * times;
		}
	}

}
