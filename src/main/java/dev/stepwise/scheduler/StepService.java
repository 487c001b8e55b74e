package dev.stepwise.scheduler;

import org.springframework.stereotype.Service;

/**
 * The hot paths: stepping a scheduler and reading its current learning rates. A step locks the
 * scheduler's row, so concurrent posts for one scheduler are serialised and each epoch is taken
 * exactly once; its new state and its history record are committed together, with the other steps
 * of its batch ({@link StepWriter}), before it is answered.
 */
@Service
public class StepService {

	private final SchedulerStore store;

	private final StepWriter writer;

	StepService(SchedulerStore store, StepWriter writer) {
		this.store = store;
		this.writer = writer;
	}

	/**
	 * The scheduler's current state, tagged with its version.
	 * @throws SchedulerNotFoundException for an unknown id
	 */
	public TaggedState current(String id) {
		return this.store.current(id);
	}

	/**
	 * Takes a step, or answers a retried one from the history.
	 * @throws SchedulerNotFoundException for an unknown id
	 * @throws EpochConflictException for a gap, a different metric or an epoch no longer recorded
	 * @throws dev.stepwise.schedule.StepException when the engine refuses the step
	 */
	public StepResult step(String id, StepCommand command) {
		return this.writer.step(id, command);
	}

}
