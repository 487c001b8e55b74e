package dev.stepwise.scheduler.commit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleState;
import dev.stepwise.scheduler.EpochConflictException;
import dev.stepwise.scheduler.HistoryEntry;
import dev.stepwise.scheduler.SchedulerNotFoundException;
import dev.stepwise.scheduler.SchedulerPosition;
import dev.stepwise.scheduler.StaleAttemptException;
import dev.stepwise.scheduler.StepCommand;
import dev.stepwise.scheduler.StepResult;
import dev.stepwise.scheduler.store.BatchStatements;
import dev.stepwise.scheduler.store.SchedulerAttemptRows;
import dev.stepwise.scheduler.store.SchedulerCache;
import dev.stepwise.scheduler.store.SchedulerRows;
import dev.stepwise.scheduler.store.SchedulerStepRows;
import dev.stepwise.scheduler.store.SchedulerStore;
import dev.stepwise.scheduler.store.Snapshot;
import io.micrometer.tracing.Span;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The steps of one batch, taken in the caller's transaction. Each scheduler's row is
 * locked at its first step; its steps are applied in memory in order, each seeing the
 * ones before (a replay of an epoch stepped earlier in the batch included); the batch
 * ends with one update per scheduler and one history record per step. A step that fails
 * (unknown id, epoch conflict, refusal, stale attempt) changes nothing and does not stop
 * the others; a database error ends the whole batch.
 * <p>
 * A step of another training attempt than the scheduler's current one is refused. The
 * first step taken after an attempt's adoption starts it: the superseded attempts'
 * history after the schedule's start (where the row stands since the adoption) is cut,
 * and the start is recorded again, as the attempt's.
 */
final class StepBatch {

	private final BatchStatements statements;

	private final Tables tables;

	private final Instant now;

	private final Map<String, Current> schedulers = new LinkedHashMap<>();

	private final List<SchedulerStepRows.Recorded> records = new ArrayList<>();

	private final List<Start> starts = new ArrayList<>();

	StepBatch(BatchStatements statements, Tables tables, Instant now) {
		this.statements = statements;
		this.tables = tables;
		this.now = now;
	}

	/**
	 * Takes the steps in the order given and writes what they did.
	 * @return each step's outcome, in the order given
	 * @throws DataAccessException when the database fails; nothing of the batch may be
	 * committed then
	 */
	List<PendingStep.Outcome> take(List<PendingStep> steps) {
		List<PendingStep.Outcome> outcomes = new ArrayList<>(steps.size());
		for (PendingStep step : steps) {
			outcomes.add(take(step));
		}
		steps.forEach(PendingStep::committing);
		write();
		return outcomes;
	}

	private PendingStep.Outcome take(PendingStep step) {
		try {
			return PendingStep.Outcome.of(step(step.schedulerId(), step.command(), step.trace()));
		}
		catch (DataAccessException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			return PendingStep.Outcome.failed(ex);
		}
	}

	private StepResult step(String id, StepCommand command, StepTrace trace) {
		Current scheduler = current(id, trace);
		StaleAttemptException.check(command.attempt(), scheduler.attempt);
		StepRequirements.checkConsumption(scheduler.schedule, command);
		StepPlan plan = StepPlan.of(scheduler.lastEpoch, scheduler.position, command.epoch(),
				scheduler.schedule.acceptsFractionalEpochs(), command.count());
		return plan.replay() ? replay(scheduler, plan, command.metric()) : apply(scheduler, plan, command, trace);
	}

	private Current current(String id, StepTrace trace) {
		Current scheduler = this.schedulers.get(id);
		if (scheduler == null) {
			Span lock = trace.start(StepTrace.LOCK);
			Optional<SchedulerRows.Locked> locked;
			try {
				locked = this.tables.schedulers().lock(this.statements, id);
			}
			finally {
				StepTrace.end(lock);
			}
			SchedulerRows.Locked row = locked.orElseThrow(() -> new SchedulerNotFoundException(id));
			Schedule schedule = this.tables.cache()
				.schedule(row.pk(), row.createdAt(), row.amendmentKey(),
						() -> this.tables.schedulers().source(this.statements, row.pk()));
			scheduler = new Current(id, row, schedule);
			this.schedulers.put(id, scheduler);
		}
		return scheduler;
	}

	/**
	 * Takes the request's steps, all of them before any is recorded: a step the engine
	 * refuses fails the whole request, none of its steps recorded.
	 */
	private StepResult apply(Current scheduler, StepPlan plan, StepCommand command, StepTrace trace) {
		Schedule schedule = scheduler.schedule;
		ScheduleState current = scheduler.state(this.tables.cache(), this.tables.store());
		StepRequirements.checkWithinLimits(schedule, current, command);
		int count = command.count();
		Double metric = command.metric();
		List<ScheduleState> states = new ArrayList<>(count);
		Long pending = scheduler.pendingEpoch;
		if (pending != null && count > 1 && pending > current.lastEpoch() && pending < current.lastEpoch() + count) {
			throw EpochConflictException.amendmentWithin(pending, count, current.lastEpoch());
		}
		Span engine = trace.start(StepTrace.ENGINE);
		try {
			ScheduleState next = current;
			for (int i = 0; i < count; i++) {
				double epoch = plan.position() - (count - 1 - i);
				next = (plan.explicit() && schedule.acceptsFractionalEpochs()) ? schedule.stepTo(next, epoch, metric)
						: (command.consumed() != null) ? schedule.step(next, metric, command.consumed())
								: schedule.step(next, metric);
				states.add(next);
			}
		}
		finally {
			StepTrace.end(engine);
		}
		if (!scheduler.attemptStarted) {
			// the attempt starts here, from the schedule's start, without a checkpoint
			Snapshot start = this.tables.store().snapshot(schedule, current, scheduler.position);
			this.starts.add(new Start(scheduler.pk, scheduler.position, scheduler.attempt));
			this.records.add(new SchedulerStepRows.Recorded(scheduler.pk, start, null, this.now, scheduler.attempt));
			scheduler.attemptStarted = true;
		}
		Snapshot snapshot = null;
		ScheduleState last = states.get(count - 1);
		if (pending != null && last.lastEpoch() == pending && plan.position() == pending) {
			// the amendment anchored to this epoch takes effect in the step that reaches
			// it
			SchedulerStore.Applied applied = this.tables.store()
				.applyPending(scheduler.pk, scheduler.createdAt, schedule, last, scheduler.amendment, this.now);
			scheduler.schedule = applied.schedule();
			scheduler.amendment = applied.amendment();
			scheduler.pendingEpoch = null;
			last = applied.state();
			states.set(count - 1, last);
		}
		for (int i = 0; i < count; i++) {
			ScheduleState next = states.get(i);
			snapshot = this.tables.store()
				.snapshot(scheduler.schedule, next, (i == count - 1) ? plan.position() : next.lastEpoch());
			this.records
				.add(new SchedulerStepRows.Recorded(scheduler.pk, snapshot, metric, this.now, command.attempt()));
		}
		scheduler.moveTo(last, Objects.requireNonNull(snapshot));
		return new StepResult(new SchedulerPosition(scheduler.id, snapshot.lastEpoch(), snapshot.paramGroupsJson(),
				snapshot.consumed()), false, scheduler.schedule.finished(last) ? Boolean.TRUE : null);
	}

	private StepResult replay(Current scheduler, StepPlan plan, @Nullable Double metric) {
		String epoch = StepPlan.format(plan.position());
		if (!scheduler.attemptStarted && plan.position() == scheduler.position) {
			// the schedule's start, where the row stands until the attempt starts
			if (!sameMetric(null, metric)) {
				throw EpochConflictException.metricDiffers(epoch, null, metric, scheduler.lastEpoch);
			}
			Snapshot start = this.tables.store()
				.snapshot(scheduler.schedule, scheduler.state(this.tables.cache(), this.tables.store()),
						scheduler.position);
			return new StepResult(
					new SchedulerPosition(scheduler.id, start.lastEpoch(), start.paramGroupsJson(), start.consumed()),
					true);
		}
		HistoryEntry recorded = recordedInBatch(scheduler.pk, plan.position())
			.or(() -> this.tables.steps().recorded(this.statements, scheduler.pk, plan.position()))
			.orElseThrow(() -> EpochConflictException.notRecorded(epoch, scheduler.lastEpoch));
		if (!sameMetric(recorded.metric(), metric)) {
			throw EpochConflictException.metricDiffers(epoch, recorded.metric(), metric, scheduler.lastEpoch);
		}
		// a finished schedule takes no later step: only its current epoch can be the end
		boolean finished = scheduler.schedule.finishes() && recorded.lastEpoch() == scheduler.lastEpoch
				&& scheduler.schedule.finished(scheduler.state(this.tables.cache(), this.tables.store()));
		return new StepResult(new SchedulerPosition(scheduler.id, recorded.lastEpoch(), recorded.paramGroupsJson(),
				recorded.consumed()), true, finished ? Boolean.TRUE : null);
	}

	private Optional<HistoryEntry> recordedInBatch(long pk, double position) {
		for (SchedulerStepRows.Recorded record : this.records) {
			if (record.pk() == pk && record.snapshot().position() == position) {
				return Optional.of(new HistoryEntry(record.snapshot().lastEpoch(), position, record.metric(),
						record.snapshot().paramGroupsJson(), record.at(), record.attempt(),
						record.snapshot().consumed()));
			}
		}
		return Optional.empty();
	}

	private void write() {
		if (this.records.isEmpty()) {
			return;
		}
		for (Start start : this.starts) {
			this.tables.steps().cut(this.statements, start.pk(), start.position());
			this.tables.store().undoAmendmentsAfter(start.pk(), (long) Math.floor(start.position()), this.now);
			if (start.attempt() != null) {
				this.tables.attempts()
					.startedByStep(this.statements, start.pk(), start.attempt(), start.position(), this.now);
			}
		}
		List<SchedulerRows.Moved> moves = new ArrayList<>(this.schedulers.size());
		for (Current scheduler : this.schedulers.values()) {
			if (scheduler.moved != null) {
				moves.add(new SchedulerRows.Moved(scheduler.pk, scheduler.moved, this.now));
				if (scheduler.state != null) {
					this.tables.cache().putState(scheduler.pk, scheduler.moved.stateJson(), scheduler.state);
				}
			}
		}
		this.tables.schedulers().update(this.statements, moves);
		this.tables.steps().insert(this.statements, this.records);
	}

	/** Absent equals absent, numbers equal by value, and NaN equals NaN. */
	static boolean sameMetric(@Nullable Double recorded, @Nullable Double given) {
		if (recorded == null || given == null) {
			return recorded == given;
		}
		return recorded.doubleValue() == given.doubleValue() || (recorded.isNaN() && given.isNaN());
	}

	/**
	 * What a batch reads and writes through.
	 *
	 * @param schedulers the {@code scheduler} table
	 * @param steps the {@code scheduler_step} table
	 * @param attempts the {@code scheduler_attempt} table
	 * @param cache compiled schedules and parsed states
	 * @param store the stored documents' codec
	 */
	record Tables(SchedulerRows schedulers, SchedulerStepRows steps, SchedulerAttemptRows attempts,
			SchedulerCache cache, SchedulerStore store) {

		/**
		 * Takes the steps of a batch as one {@link StepBatch} on the transaction's
		 * connection.
		 */
		Function<List<PendingStep>, List<PendingStep.Outcome>> runner(JdbcTemplate jdbc) {
			return (steps) -> BatchStatements.run(jdbc,
					(statements) -> new StepBatch(statements, this, SchedulerStore.now()).take(steps));
		}

	}

	/**
	 * An attempt started by a step of this batch.
	 *
	 * @param pk the scheduler's surrogate key
	 * @param position the schedule's start, where the history is cut and recorded again
	 * @param attempt the attempt, or {@code null} when the scheduler has none
	 */
	private record Start(long pk, double position, @Nullable String attempt) {
	}

	/** A locked scheduler as the batch's steps so far have left it. */
	private static final class Current {

		private final String id;

		private final long pk;

		private final Instant createdAt;

		private Schedule schedule;

		private @Nullable Long amendment;

		private @Nullable Long pendingEpoch;

		private long lastEpoch;

		private double position;

		private final String stateJson;

		private final @Nullable String attempt;

		private boolean attemptStarted;

		private @Nullable ScheduleState state;

		private @Nullable Snapshot moved;

		Current(String id, SchedulerRows.Locked row, Schedule schedule) {
			this.id = id;
			this.pk = row.pk();
			this.createdAt = row.createdAt();
			this.schedule = schedule;
			this.amendment = row.amendment();
			this.pendingEpoch = row.pendingEpoch();
			this.lastEpoch = row.lastEpoch();
			this.position = row.position();
			this.stateJson = row.stateJson();
			this.attempt = row.attempt();
			this.attemptStarted = row.attemptStarted();
		}

		ScheduleState state(SchedulerCache cache, SchedulerStore store) {
			if (this.state == null) {
				this.state = cache.state(this.pk, this.stateJson, () -> store.state(this.schedule, this.stateJson));
			}
			return this.state;
		}

		void moveTo(ScheduleState next, Snapshot snapshot) {
			this.state = next;
			this.moved = snapshot;
			this.lastEpoch = snapshot.lastEpoch();
			this.position = snapshot.position();
		}

	}

}
