package dev.stepwise.scheduler;

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

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Everything the API does with registered schedulers: registration, reads, steps,
 * deletion, history, resume from a checkpoint and state documents. Every change is one
 * transaction on the scheduler's locked row; steps are committed in batches with others
 * ({@link StepWriter}) before they are answered.
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

	/** A page of schedulers, newest first. */
	@Transactional(readOnly = true)
	public SchedulerPage list(int page, int size) {
		return this.store.list(page, size);
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
	 * Returns the scheduler to the state it had at the end of epoch {@code lastEpoch} and
	 * discards the later history. Nothing is computed (the recorded documents are
	 * copied), so it is not admitted through the {@link ComputeBulkhead}.
	 * @throws EpochConflictException when that epoch is ahead or no longer recorded
	 */
	@Transactional
	public SchedulerPosition resume(String id, long lastEpoch) {
		SchedulerStore.Locked scheduler = this.store.lock(id);
		if (lastEpoch > scheduler.lastEpoch()) {
			throw EpochConflictException.beyond(lastEpoch, scheduler.lastEpoch());
		}
		Snapshot recorded = scheduler.endOfEpoch(lastEpoch)
			.orElseThrow(() -> EpochConflictException.notRecorded(Long.toString(lastEpoch), scheduler.lastEpoch()));
		return scheduler.returnTo(recorded);
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
		long bytes = MemoryEstimate.stateDocument(document);
		return this.bulkhead.hold(bytes, () -> Objects.requireNonNull(this.transaction.execute((status) -> {
			SchedulerStore.Locked scheduler = this.store.lock(id);
			Schedule schedule = scheduler.schedule();
			ScheduleState state = schedule.restore(document);
			return scheduler.replaceWith(this.store.snapshot(schedule, state, state.lastEpoch()));
		})));
	}

}
