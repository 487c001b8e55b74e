package dev.stepwise.scheduler;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleState;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Registers schedulers and manages them: reads, deletion, history, resume from a checkpoint and
 * state documents. Every change is one transaction on the scheduler's locked row.
 */
@Service
public class SchedulerService {

	private final SchedulerStore store;

	private final SchedulerRepository schedulers;

	private final SchedulerStepRepository steps;

	private final TransactionTemplate transaction;

	SchedulerService(SchedulerStore store, SchedulerRepository schedulers, SchedulerStepRepository steps,
			TransactionTemplate transaction) {
		this.store = store;
		this.schedulers = schedulers;
		this.steps = steps;
		this.transaction = transaction;
	}

	/**
	 * Registers a scheduler, or finds the identical registration of the same id (every rank of a job
	 * may register).
	 * @throws dev.stepwise.schedule.InvalidScheduleException when the engine refuses the spec
	 * @throws RegistrationConflictException when the id is registered with a different body
	 */
	public RegistrationResult register(Registration registration) {
		Schedule schedule = Schedule.of(registration.scheduler(), registration.paramGroups());
		long lastEpoch = Math.max(0, registration.lastEpoch());
		Registered registered = this.store.registered(schedule, registration, lastEpoch);
		String id = (registration.id() != null) ? registration.id() : UUID.randomUUID().toString();
		Optional<RegistrationResult> found = (registration.id() != null) ? existing(id, registered) : Optional.empty();
		if (found.isPresent()) {
			return found.get();
		}
		ScheduleState state = schedule.start(lastEpoch);
		try {
			return Objects.requireNonNull(this.transaction.execute((status) -> existing(id, registered).orElseGet(
					() -> new RegistrationResult(SchedulerDetails.of(this.store.create(id, registered, schedule, state)),
							true))));
		}
		catch (DataIntegrityViolationException ex) {
			// another rank registered the same id at the same moment
			return Objects.requireNonNull(
					this.transaction.execute((status) -> existing(id, registered).orElseThrow(() -> ex)));
		}
	}

	private Optional<RegistrationResult> existing(String id, Registered registered) {
		return this.schedulers.findByPublicId(id).map((scheduler) -> {
			if (!scheduler.getRequestJson().equals(registered.requestJson())) {
				throw new RegistrationConflictException(id);
			}
			return new RegistrationResult(SchedulerDetails.of(scheduler), false);
		});
	}

	/** The scheduler registered as {@code id}. */
	@Transactional(readOnly = true)
	public SchedulerDetails get(String id) {
		return SchedulerDetails.of(this.store.find(id));
	}

	/** A page of schedulers, newest first. */
	@Transactional(readOnly = true)
	public SchedulerPage list(int page, int size) {
		Page<SchedulerEntity> result = this.schedulers.findAllByOrderByCreatedAtDescIdDesc(PageRequest.of(page, size));
		return new SchedulerPage(result.map(SchedulerDetails::of).getContent(), page, size,
				result.getTotalElements(), result.getTotalPages());
	}

	/**
	 * Deletes a scheduler and its history. The row is locked first, so that no step can record
	 * anything for it between the two deletes.
	 */
	@Transactional
	public void delete(String id) {
		SchedulerEntity scheduler = this.store.lock(id);
		this.steps.deleteHistory(scheduler.getId());
		this.schedulers.deleteByPublicId(id);
	}

	/** The records from {@code fromEpoch} to {@code toEpoch}, at most {@code limit} of them. */
	@Transactional(readOnly = true)
	public HistoryPage history(String id, double fromEpoch, double toEpoch, int limit) {
		long pk = this.store.find(id).getId();
		var rows = this.steps.findRows(pk, fromEpoch, toEpoch, Limit.of(limit + 1));
		if (rows.size() <= limit) {
			return new HistoryPage(rows, null);
		}
		return new HistoryPage(rows.subList(0, limit), rows.get(limit).position());
	}

	/**
	 * Returns the scheduler to the state it had at the end of epoch {@code lastEpoch} and discards the
	 * later history.
	 * @throws EpochConflictException when that epoch is ahead or no longer recorded
	 */
	@Transactional
	public SchedulerState resume(String id, long lastEpoch) {
		SchedulerEntity scheduler = this.store.lock(id);
		if (lastEpoch > scheduler.getLastEpoch()) {
			throw EpochConflictException.beyond(lastEpoch, scheduler.getLastEpoch());
		}
		SchedulerStepEntity record = this.steps.findEndOfEpoch(scheduler.getId(), lastEpoch)
			.orElseThrow(() -> EpochConflictException.notRecorded(Long.toString(lastEpoch), scheduler.getLastEpoch()));
		this.steps.deleteAfter(scheduler.getId(), record.getPosition());
		scheduler.moveTo(record.snapshot(), SchedulerStore.now());
		return scheduler.state();
	}

	/** The scheduler's full state document, as JSON. */
	@Transactional(readOnly = true)
	public String stateDocument(String id) {
		return this.store.find(id).getStateJson();
	}

	/**
	 * Replaces the scheduler's whole state by a document of {@link #stateDocument}; the history is
	 * cut at its {@code last_epoch}, where the new state is recorded.
	 * @throws dev.stepwise.schedule.InvalidStateException when the document does not fit the scheduler
	 */
	@Transactional
	public SchedulerState replaceState(String id, Map<String, Object> document) {
		SchedulerEntity scheduler = this.store.lock(id);
		Schedule schedule = this.store.schedule(scheduler);
		ScheduleState state = schedule.fromStateDict(document);
		this.steps.deleteFrom(scheduler.getId(), state.lastEpoch());
		this.store.record(scheduler, this.store.snapshot(schedule, state, state.lastEpoch()), null);
		return scheduler.state();
	}

}
