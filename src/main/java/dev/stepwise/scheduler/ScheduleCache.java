package dev.stepwise.scheduler;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

import dev.stepwise.schedule.Schedule;
import dev.stepwise.system.StepwiseProperties;

import org.springframework.stereotype.Component;

/**
 * The compiled {@link Schedule} of each registration, kept in memory because building one parses
 * and validates the spec. Safe with several replicas: a registration's spec never changes, and a
 * deleted and re-registered id gets a new key. Holds no state: that is always read from the database.
 */
@Component
class ScheduleCache {

	private final BoundedCache<Key, Schedule> schedules;

	private final JsonCodec json;

	ScheduleCache(JsonCodec json, StepwiseProperties properties) {
		this.json = json;
		this.schedules = new BoundedCache<>(properties.scheduleCacheSize());
	}

	/** The schedule of a stored scheduler, compiled on first use. */
	Schedule get(SchedulerEntity scheduler) {
		return get(scheduler.getId(), scheduler.getCreatedAt(),
				() -> new Source(scheduler.getRequestJson(), scheduler.getInitialParamGroupsJson()));
	}

	/**
	 * The schedule of the scheduler stored under {@code pk}, compiled on first use from the columns
	 * {@code source} reads.
	 */
	Schedule get(long pk, Instant createdAt, Supplier<Source> source) {
		Key key = new Key(pk, createdAt);
		Schedule schedule = this.schedules.get(key);
		if (schedule == null) {
			Source columns = source.get();
			Map<String, Object> request = this.json.readDocument(columns.requestJson());
			@SuppressWarnings("unchecked")
			Map<String, Object> spec = (Map<String, Object>) request.get("scheduler");
			schedule = Schedule.of(spec, this.json.readParamGroups(columns.initialParamGroupsJson()));
			put(key, schedule);
		}
		return schedule;
	}

	/** Remembers the schedule just built for a new registration. */
	void put(SchedulerEntity scheduler, Schedule schedule) {
		put(new Key(scheduler.getId(), scheduler.getCreatedAt()), schedule);
	}

	private void put(Key key, Schedule schedule) {
		this.schedules.put(key, schedule);
	}

	/**
	 * The stored columns a schedule is compiled from.
	 *
	 * @param requestJson the registration request
	 * @param initialParamGroupsJson the param groups as registered
	 */
	record Source(String requestJson, String initialParamGroupsJson) {
	}

	private record Key(long id, Instant createdAt) {
	}

}
