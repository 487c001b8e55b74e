package dev.stepwise.scheduler.store;

import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleState;
import dev.stepwise.system.StepwiseProperties;

import org.springframework.stereotype.Component;

/**
 * What a step would otherwise rebuild from its row, kept in memory per replica: the
 * compiled {@link Schedule} of each registration (compiling parses and validates the
 * spec) and the parsed current state of each scheduler (parsing a state document costs
 * more than the step). Both are bounded by {@code stepwise.schedule-cache-size} entries
 * (Caffeine evicts the least useful, on the writing thread).
 * <p>
 * Neither can be stale with several replicas: a registration's spec never changes and a
 * deleted and re-registered id gets another key, and a state serves only a step that read
 * the very same state document under the row lock.
 */
@Component
public class SchedulerCache {

	private final Cache<ScheduleKey, Schedule> schedules;

	private final Cache<Long, ParsedState> states;

	private final JsonCodec json;

	SchedulerCache(JsonCodec json, StepwiseProperties properties) {
		this.json = json;
		int size = Math.max(1, properties.scheduleCacheSize());
		this.schedules = Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
		this.states = Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
	}

	/** The schedule of a stored scheduler, compiled on first use. */
	Schedule schedule(SchedulerEntity scheduler) {
		return schedule(scheduler.getId(), scheduler.getCreatedAt(),
				() -> new Source(scheduler.getRequestJson(), scheduler.getInitialParamGroupsJson()));
	}

	/**
	 * The schedule of the scheduler stored under {@code pk}, compiled on first use from
	 * the columns {@code source} reads.
	 */
	public Schedule schedule(long pk, Instant createdAt, Supplier<Source> source) {
		return this.schedules.get(new ScheduleKey(pk, createdAt), (key) -> compile(source.get()));
	}

	/** Remembers the schedule just built for a new registration. */
	void putSchedule(SchedulerEntity scheduler, Schedule schedule) {
		this.schedules.put(new ScheduleKey(scheduler.getId(), scheduler.getCreatedAt()), schedule);
	}

	/**
	 * The state of the document {@code stateJson} of scheduler {@code pk}, parsed unless
	 * known.
	 */
	public ScheduleState state(long pk, String stateJson, Supplier<ScheduleState> parse) {
		ParsedState parsed = this.states.getIfPresent(pk);
		if (parsed != null && parsed.stateJson().equals(stateJson)) {
			return parsed.state();
		}
		ScheduleState state = parse.get();
		putState(pk, stateJson, state);
		return state;
	}

	/** Remembers the state a step wrote as the document {@code stateJson}. */
	public void putState(long pk, String stateJson, ScheduleState state) {
		this.states.put(pk, new ParsedState(stateJson, state));
	}

	private Schedule compile(Source columns) {
		Map<String, Object> request = this.json.readDocument(columns.requestJson());
		@SuppressWarnings("unchecked")
		Map<String, Object> spec = (Map<String, Object>) request.get("scheduler");
		return Schedule.of(spec, this.json.readParamGroups(columns.initialParamGroupsJson()));
	}

	/**
	 * The stored columns a schedule is compiled from.
	 *
	 * @param requestJson the registration request
	 * @param initialParamGroupsJson the param groups as registered
	 */
	public record Source(String requestJson, String initialParamGroupsJson) {
	}

	private record ScheduleKey(long pk, Instant createdAt) {
	}

	private record ParsedState(String stateJson, ScheduleState state) {
	}

}
