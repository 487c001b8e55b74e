package dev.stepwise.scheduler;
import java.util.Objects;

import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleState;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hot paths: stepping a scheduler and reading its current learning rates. A step is one
 * transaction on the scheduler's locked row, so concurrent posts for one scheduler are serialised and
 * each epoch is taken exactly once; its new state and its history record are written together.
 */
@Service
public class StepService {

	private static final int ATTEMPTS = 3;

	private final SchedulerStore store;

	private final TransactionTemplate transaction;

	StepService(SchedulerStore store, TransactionTemplate transaction) {
		this.store = store;
		this.transaction = transaction;
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
		for (int attempt = 1;; attempt++) {
			try {
				return Objects.requireNonNull(this.transaction.execute((status) -> stepLocked(id, command)));
			}
			catch (ConcurrencyFailureException ex) {
				if (attempt == ATTEMPTS) {
					throw ex;
				}
			}
		}
	}

	private StepResult stepLocked(String id, StepCommand command) {
		SchedulerEntity scheduler = this.store.lock(id);
		Schedule schedule = this.store.schedule(scheduler);
		StepPlan plan = StepPlan.of(scheduler.getLastEpoch(), scheduler.getPosition(), command.epoch(),
				schedule.acceptsFractionalEpochs());
		return plan.replay() ? replay(scheduler, plan, command.metric())
				: apply(scheduler, schedule, plan, command.metric());
	}

	private StepResult apply(SchedulerEntity scheduler, Schedule schedule, StepPlan plan, @Nullable Double metric) {
		ScheduleState current = this.store.state(schedule, scheduler);
		ScheduleState next = (plan.explicit() && schedule.acceptsFractionalEpochs())
				? schedule.stepTo(current, plan.position(), metric) : schedule.step(current, metric);
		this.store.record(scheduler, this.store.snapshot(schedule, next, plan.position()), metric);
		return new StepResult(scheduler.state(), false);
	}

	private StepResult replay(SchedulerEntity scheduler, StepPlan plan, @Nullable Double metric) {
		String epoch = StepPlan.format(plan.position());
		HistoryEntry recorded = this.store.recorded(scheduler, plan.position())
			.orElseThrow(() -> EpochConflictException.notRecorded(epoch, scheduler.getLastEpoch()));
		if (!sameMetric(recorded.metric(), metric)) {
			throw EpochConflictException.metricDiffers(epoch, recorded.metric(), metric, scheduler.getLastEpoch());
		}
		return new StepResult(new SchedulerState(scheduler.getPublicId(), recorded.lastEpoch(),
				recorded.paramGroupsJson()), true);
	}

	/** Absent equals absent, numbers equal by value, and NaN equals NaN. */
	static boolean sameMetric(@Nullable Double recorded, @Nullable Double given) {
		if (recorded == null || given == null) {
			return recorded == given;
		}
		return recorded.doubleValue() == given.doubleValue() || (recorded.isNaN() && given.isNaN());
	}

}
