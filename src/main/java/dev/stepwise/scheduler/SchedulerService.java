package dev.stepwise.scheduler;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleState;
import dev.stepwise.scheduler.commit.StepWriter;
import dev.stepwise.scheduler.store.Registered;
import dev.stepwise.scheduler.store.SchedulerStore;
import dev.stepwise.scheduler.store.Snapshot;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Everything the API does with registered schedulers: registration, reads, steps,
 * deletion, history, resume from a checkpoint and state documents. Every change is one
 * transaction on the scheduler's locked row; steps are committed in batches with others
 * ({@link StepWriter}) before they are answered.
 * <p>
 * Training attempts: a registration with an attempt adopts it (superseding the current
 * one) and puts the scheduler at the schedule's start, keeping the history; the attempt
 * starts with its first step (from the start: the superseded history after it is cut), or
 * its first resume or state document (from the checkpoint). Requests of a superseded
 * attempt are refused ({@link StaleAttemptException}); a second resume of the epoch the
 * attempt restored last, or a state document of that epoch that holds its recorded state,
 * changes nothing (its other ranks load the same checkpoint). Requests without an attempt
 * are not checked.
 */
@Service
public class SchedulerService {

	private final SchedulerStore store;

	private final StepWriter steps;

	private final TransactionTemplate transaction;

	private final ComputeBulkhead bulkhead;

	SchedulerService(SchedulerStore store, StepWriter steps, TransactionTemplate transaction,
			ComputeBulkhead bulkhead) {
		this.store = store;
		this.steps = steps;
		this.transaction = transaction;
		this.bulkhead = bulkhead;
	}

	/**
	 * Registers a scheduler, or finds the identical registration of the same id (every
	 * rank of a job may register).
	 * @throws dev.stepwise.schedule.InvalidScheduleException when the engine refuses the
	 * spec
	 * @throws RegistrationConflictException when the id is registered with a different
	 * body
	 * @throws ComputeBusyException when the {@link ComputeBulkhead} has no room for it:
	 * every registration reserves its {@link MemoryEstimate}, a large one (or an
	 * expensive fast-forward) also takes a compute slot
	 * @throws ComputeTooLargeException when its memory estimate exceeds the whole budget
	 */
	public RegistrationResult register(Registration registration) {
		long bytes = MemoryEstimate.computation(registration.scheduler(), registration.paramGroups().size(), 0);
		return this.bulkhead.hold(bytes, () -> (bytes > MemoryEstimate.LIGHT_BYTES)
				? this.bulkhead.slot(() -> registered(registration)) : registered(registration));
	}

	private RegistrationResult registered(Registration registration) {
		Schedule schedule = Schedule.of(registration.scheduler(), registration.paramGroups());
		long lastEpoch = Math.max(0, registration.lastEpoch());
		Registered registered = this.store.registered(schedule, registration, lastEpoch);
		String id = (registration.id() != null) ? registration.id() : UUID.randomUUID().toString();
		String attempt = registration.attempt();
		if (attempt != null) {
			ScheduleState start = (schedule.cost(lastEpoch, 0) > MemoryEstimate.LIGHT_WORK)
					? this.bulkhead.slot(() -> schedule.start(lastEpoch)) : schedule.start(lastEpoch);
			return registerAttempt(id, registered, schedule, start, attempt);
		}
		Optional<RegistrationResult> found = (registration.id() != null) ? existing(id, registered) : Optional.empty();
		if (found.isPresent()) {
			return found.get();
		}
		ScheduleState state = (schedule.cost(lastEpoch, 0) > MemoryEstimate.LIGHT_WORK)
				? this.bulkhead.slot(() -> schedule.start(lastEpoch)) : schedule.start(lastEpoch);
		try {
			return Objects.requireNonNull(this.transaction.execute((status) -> existing(id, registered)
				.orElseGet(() -> new RegistrationResult(this.store.create(id, registered, schedule, state), true))));
		}
		catch (DataIntegrityViolationException ex) {
			// another rank registered the same id at the same moment
			return Objects
				.requireNonNull(this.transaction.execute((status) -> existing(id, registered).orElseThrow(() -> ex)));
		}
	}

	/**
	 * Registers for a training attempt: creates the scheduler with the attempt adopted,
	 * or adopts it on the existing one (its row locked). Either way the answer holds the
	 * schedule's start, the state a torch scheduler has right after construction, also
	 * for a rank that registers after others of its attempt stepped (it then replays
	 * their steps).
	 * @throws StaleAttemptException when the scheduler adopted the attempt before and it
	 * was superseded since
	 */
	private RegistrationResult registerAttempt(String id, Registered registered, Schedule schedule, ScheduleState start,
			String attempt) {
		try {
			return Objects.requireNonNull(
					this.transaction.execute((status) -> adoptOrCreate(id, registered, schedule, start, attempt)));
		}
		catch (DataIntegrityViolationException ex) {
			// another rank registered the same id at the same moment
			return Objects.requireNonNull(
					this.transaction.execute((status) -> adoptOrCreate(id, registered, schedule, start, attempt)));
		}
	}

	private RegistrationResult adoptOrCreate(String id, Registered registered, Schedule schedule, ScheduleState start,
			String attempt) {
		Optional<SchedulerStore.Locked> found = this.store.lockIfPresent(id);
		if (found.isEmpty()) {
			return new RegistrationResult(this.store.create(id, registered, schedule, start, attempt), true);
		}
		SchedulerStore.Locked scheduler = found.get();
		if (!scheduler.requestJson().equals(registered.requestJson())) {
			throw new RegistrationConflictException(id);
		}
		Snapshot snapshot = this.store.snapshot(schedule, start, start.lastEpoch());
		scheduler.adopt(attempt, snapshot);
		return new RegistrationResult(scheduler.detailsAt(snapshot), false);
	}

	private Optional<RegistrationResult> existing(String id, Registered registered) {
		return this.store.findRegistration(id).map((stored) -> {
			if (!stored.requestJson().equals(registered.requestJson())) {
				throw new RegistrationConflictException(id);
			}
			return new RegistrationResult(stored.details(), false);
		});
	}

	/** The scheduler registered as {@code id}. */
	@Transactional(readOnly = true)
	public SchedulerDetails get(String id) {
		return this.store.details(id);
	}

	/**
	 * A page of the schedulers {@code scope} and the query's filter match, in the query's
	 * order, each with its summary.
	 */
	@Transactional(readOnly = true)
	public SchedulerPage list(IdScope scope, SchedulerListQuery query) {
		return this.store.list(scope.likePattern(), query);
	}

	/**
	 * The scheduler's current position with its row's revision: the hot path of
	 * {@code GET .../lr}.
	 * @throws SchedulerNotFoundException for an unknown id
	 */
	public CurrentPosition current(String id) {
		return this.store.current(id);
	}

	/**
	 * Takes a step, or answers a retried one from the history, once it is committed.
	 * @throws SchedulerNotFoundException for an unknown id
	 * @throws EpochConflictException for a gap, a different metric or an epoch no longer
	 * recorded
	 * @throws dev.stepwise.schedule.StepException when the engine refuses the step
	 */
	public StepResult step(String id, StepCommand command) {
		// the attempt is checked in the step's batch, under the row lock
		return this.steps.step(id, command);
	}

	/**
	 * Deletes a scheduler and its history. The row is locked first, so that no step can
	 * record anything for it between the two deletes.
	 */
	@Transactional
	public void delete(String id) {
		this.store.lock(id).delete();
	}

	/**
	 * The records from {@code fromEpoch} to {@code toEpoch}, at most {@code limit} of
	 * them.
	 */
	@Transactional(readOnly = true)
	public HistoryPage history(String id, double fromEpoch, double toEpoch, int limit) {
		return this.store.history(id, fromEpoch, toEpoch, limit);
	}

	/**
	 * The records from {@code fromEpoch} to {@code toEpoch}: all of them when there are
	 * at most {@code points}, else at most {@code points} chosen to keep the curves'
	 * shape ({@link M4Selection}).
	 */
	@Transactional(readOnly = true)
	public DownsampledHistory downsampledHistory(String id, double fromEpoch, double toEpoch, int points) {
		// a long history's first scan takes seconds: one compute slot each, so concurrent
		// scans are bounded (503 when every slot is busy) instead of piling up
		return this.bulkhead.slot(() -> this.store.downsampledHistory(id, fromEpoch, toEpoch, points));
	}

	/**
	 * Returns the scheduler to the state it had at the end of epoch {@code lastEpoch} and
	 * discards the later history. Nothing is computed (the recorded documents are
	 * copied), so it is not admitted through the {@link ComputeBulkhead}.
	 * @throws EpochConflictException when that epoch is ahead or no longer recorded
	 */
	@Transactional
	public SchedulerPosition resume(String id, long lastEpoch) {
		return resume(id, lastEpoch, null);
	}

	/**
	 * Returns the scheduler to the state it had at the end of epoch {@code lastEpoch} and
	 * discards the later history, for {@code attempt} (or without one). Until the current
	 * attempt has started, any recorded epoch may be resumed (the superseded attempts'
	 * history is kept until then); a second resume of the epoch the attempt last restored
	 * answers its recorded state and changes nothing.
	 * @throws EpochConflictException when that epoch is ahead or no longer recorded
	 * @throws StaleAttemptException when {@code attempt} is not the current attempt
	 */
	@Transactional
	public SchedulerPosition resume(String id, long lastEpoch, @Nullable String attempt) {
		SchedulerStore.Locked scheduler = this.store.lock(id);
		scheduler.checkAttempt(attempt);
		Optional<SchedulerPosition> again = restoredAgain(scheduler, lastEpoch, attempt);
		if (again.isPresent()) {
			return again.get();
		}
		if (scheduler.attemptStarted() && lastEpoch > scheduler.lastEpoch()) {
			throw EpochConflictException.beyond(lastEpoch, scheduler.lastEpoch());
		}
		Snapshot recorded = scheduler.endOfEpoch(lastEpoch)
			.orElseThrow(() -> EpochConflictException.notRecorded(Long.toString(lastEpoch), scheduler.lastEpoch()));
		SchedulerPosition position = scheduler.returnTo(recorded, attempt);
		scheduler.restored(AttemptRecord.BY_RESUME, lastEpoch, attempt);
		return position;
	}

	/**
	 * The recorded state of {@code epoch} when {@code attempt} restored that epoch last:
	 * another rank of the attempt restores the same checkpoint, maybe after the first one
	 * stepped on.
	 */
	private static Optional<SchedulerPosition> restoredAgain(SchedulerStore.Locked scheduler, long epoch,
			@Nullable String attempt) {
		return restoredAgain(scheduler, epoch, attempt, null);
	}

	/**
	 * The recorded state of {@code epoch} when {@code attempt} restored that epoch last
	 * and recorded it as {@code document} (unless {@code null}).
	 */
	private static Optional<SchedulerPosition> restoredAgain(SchedulerStore.Locked scheduler, long epoch,
			@Nullable String attempt, @Nullable Snapshot document) {
		return scheduler.restoredBy(attempt)
			.filter((restored) -> restored == epoch)
			.flatMap((restored) -> scheduler.endOfEpoch(epoch))
			.filter((recorded) -> document == null || (recorded.stateJson().equals(document.stateJson())
					&& recorded.paramGroupsJson().equals(document.paramGroupsJson())))
			.map(scheduler::positionOf);
	}

	/** The scheduler's full state document, as JSON. */
	@Transactional(readOnly = true)
	public String stateDocument(String id) {
		return this.store.stateDocument(id);
	}

	/**
	 * Replaces the scheduler's whole state by a document of {@link #stateDocument}; the
	 * history is cut at its {@code last_epoch}, where the new state is recorded.
	 * @throws dev.stepwise.schedule.InvalidStateException when the document does not fit
	 * the scheduler, holds a value no step could reach, or changes a hyperparameter
	 * @throws ComputeBusyException when the memory budget has no room for it (restoring
	 * reads the document once, in time linear in its size, so it takes no compute slot)
	 * @throws ComputeTooLargeException when its memory estimate exceeds the whole budget
	 */
	public SchedulerPosition replaceState(String id, Map<String, Object> document) {
		return replaceState(id, document, null);
	}

	/**
	 * Replaces the scheduler's whole state by a document of {@link #stateDocument}, for
	 * {@code attempt} (or without one); the history is cut at its {@code last_epoch},
	 * where the new state is recorded. A document of the epoch the attempt last restored
	 * that holds the state recorded for it (another rank's copy of the checkpoint)
	 * answers it and changes nothing.
	 * @throws dev.stepwise.schedule.InvalidStateException when the document does not fit
	 * the scheduler, holds a value no step could reach, or changes a hyperparameter
	 * @throws StaleAttemptException when {@code attempt} is not the current attempt
	 * @throws ComputeBusyException when the memory budget has no room for it
	 * @throws ComputeTooLargeException when its memory estimate exceeds the whole budget
	 */
	public SchedulerPosition replaceState(String id, Map<String, Object> document, @Nullable String attempt) {
		long bytes = MemoryEstimate.stateDocument(document);
		return this.bulkhead.hold(bytes, () -> Objects.requireNonNull(this.transaction.execute((status) -> {
			SchedulerStore.Locked scheduler = this.store.lock(id);
			scheduler.checkAttempt(attempt);
			// a document of an epoch before an amendment is read by the schedule in force
			// then
			Schedule schedule = (document.get("last_epoch") instanceof Number epoch)
					? scheduler.scheduleAt(epoch.longValue()) : scheduler.schedule();
			ScheduleState state = schedule.restore(document);
			Snapshot snapshot = this.store.snapshot(schedule, state, state.lastEpoch());
			Optional<SchedulerPosition> again = restoredAgain(scheduler, state.lastEpoch(), attempt, snapshot);
			if (again.isPresent()) {
				return again.get();
			}
			SchedulerPosition position = scheduler.replaceWith(snapshot, attempt);
			scheduler.restored(AttemptRecord.BY_STATE, state.lastEpoch(), attempt);
			return position;
		})));
	}

	/**
	 * The scheduler's latest resumes and state PUTs (at most
	 * {@link Limits#MAX_RESTORES_LISTED}), oldest first: where they cut the history.
	 */
	@Transactional(readOnly = true)
	public List<RestoreRecord> restores(String id) {
		return this.store.restores(id, Limits.MAX_RESTORES_LISTED);
	}

	/** The training attempts the scheduler adopted, in the order of their adoption. */
	@Transactional(readOnly = true)
	public List<AttemptRecord> attempts(String id) {
		return this.store.attempts(id);
	}

}
