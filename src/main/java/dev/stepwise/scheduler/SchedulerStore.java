package dev.stepwise.scheduler;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleState;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Reads and writes schedulers in the caller's transaction: finds and locks them, compiles their
 * schedule, makes a state current and appends it to the history.
 */
@Component
class SchedulerStore {

	private final SchedulerRepository schedulers;

	private final SchedulerStepRepository steps;

	private final CurrentStateQuery currentState;

	private final ScheduleCache cache;

	private final JsonCodec json;

	SchedulerStore(SchedulerRepository schedulers, SchedulerStepRepository steps, CurrentStateQuery currentState,
			ScheduleCache cache, JsonCodec json) {
		this.schedulers = schedulers;
		this.steps = steps;
		this.currentState = currentState;
		this.cache = cache;
		this.json = json;
	}

	SchedulerEntity find(String id) {
		return this.schedulers.findByPublicId(id).orElseThrow(() -> new SchedulerNotFoundException(id));
	}

	/** The scheduler, its row locked until the transaction ends. */
	SchedulerEntity lock(String id) {
		return this.schedulers.lockByPublicId(id).orElseThrow(() -> new SchedulerNotFoundException(id));
	}

	/** The current state of a scheduler, tagged with its version (one narrow query, no state parsing). */
	TaggedState current(String id) {
		return this.currentState.find(id)
			.map(CurrentRow::tagged)
			.orElseThrow(() -> new SchedulerNotFoundException(id));
	}

	Schedule schedule(SchedulerEntity scheduler) {
		return this.cache.get(scheduler);
	}

	/** A state read back from its state document. */
	ScheduleState state(Schedule schedule, String stateJson) {
		return schedule.fromStateDict(this.json.readDocument(stateJson));
	}

	/** What a registration stores besides its state. */
	Registered registered(Schedule schedule, Registration registration, long lastEpoch) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("param_groups", registration.paramGroups());
		body.put("scheduler", registration.scheduler());
		body.put("last_epoch", lastEpoch);
		return new Registered(schedule.type(), this.json.write(schedule.normalizedSpec()), this.json.canonical(body),
				this.json.write(registration.paramGroups()));
	}

	/** Stores a new registration with its state as the first history record. */
	SchedulerEntity create(String id, Registered registered, Schedule schedule, ScheduleState state) {
		Snapshot snapshot = snapshot(schedule, state, state.lastEpoch());
		SchedulerEntity scheduler = this.schedulers.save(new SchedulerEntity(id, registered, snapshot, now()));
		append(scheduler.getId(), snapshot, null, scheduler.getCreatedAt());
		this.cache.put(scheduler, schedule);
		return scheduler;
	}

	/** The documents to store for a state reached at {@code position}. */
	Snapshot snapshot(Schedule schedule, ScheduleState state, double position) {
		return new Snapshot(state.lastEpoch(), position, this.json.write(schedule.stateDict(state)),
				this.json.write(state.paramGroups()));
	}

	/** Makes {@code snapshot} the scheduler's state and records it with the metric that led to it. */
	void record(SchedulerEntity scheduler, Snapshot snapshot, @Nullable Double metric) {
		Instant now = now();
		scheduler.moveTo(snapshot, now);
		append(scheduler.getId(), snapshot, metric, now);
	}

	private void append(long schedulerId, Snapshot snapshot, @Nullable Double metric, Instant recordedAt) {
		this.steps.save(new SchedulerStepEntity(schedulerId, snapshot, metric, recordedAt));
	}

	/** The current time at the precision both databases store. */
	static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

}
