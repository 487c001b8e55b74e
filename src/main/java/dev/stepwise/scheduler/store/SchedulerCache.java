package dev.stepwise.scheduler.store;

import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleState;
import dev.stepwise.scheduler.MemoryEstimate;
import dev.stepwise.system.StepwiseProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * What a step would otherwise rebuild from its row, kept in memory per replica: the
 * compiled {@link Schedule} of each registration (compiling parses and validates the
 * spec) and the parsed current state of each scheduler (parsing a state document costs
 * more than the step). Both are bounded by {@code stepwise.schedule-cache-size} entries
 * and by bytes, an eighth of the maximum heap for schedules and a sixteenth for states
 * (by their {@link MemoryEstimate}; an entry weighs at least its share of the bytes, so
 * the entries stay within the count): a registration may compile to megabytes (1,024
 * lr_lambda expressions), and a cache bounded by entries only would keep thousands of
 * them. Caffeine evicts the least useful, on the writing thread.
 * <p>
 * Neither can be stale with several replicas: a registration's spec never changes and a
 * deleted and re-registered id gets another key, and a state serves only a step that read
 * the very same state document under the row lock.
 */
@Component
public class SchedulerCache {

	private final Cache<ScheduleKey, Compiled> schedules;

	private final Cache<Long, ParsedState> states;

	private final JsonCodec json;

	@Autowired
	SchedulerCache(JsonCodec json, StepwiseProperties properties) {
		this(json, properties.scheduleCacheSize(), Runtime.getRuntime().maxMemory());
	}

	SchedulerCache(JsonCodec json, int entries, long maxHeap) {
		this.json = json;
		int size = Math.max(1, entries);
		this.schedules = weighed(size, maxHeap / 8, Compiled::bytes);
		this.states = weighed(size, maxHeap / 16, ParsedState::bytes);
	}

	/**
	 * A cache of at most {@code entries} and about {@code bytes}: each entry weighs its
	 * bytes, at least {@code bytes / entries}.
	 */
	private static <K, V> Cache<K, V> weighed(int entries, long bytes, ToLongFunction<V> size) {
		long least = Math.max(1, bytes / entries);
		return Caffeine.newBuilder()
			.maximumWeight(bytes)
			.<K, V>weigher((key, value) -> (int) Math.min(Integer.MAX_VALUE, Math.max(least, size.applyAsLong(value))))
			.executor(Runnable::run)
			.build();
	}

	/**
	 * The schedule of the scheduler stored under {@code pk}, compiled on first use from
	 * the columns {@code source} reads.
	 */
	public Schedule schedule(long pk, Instant createdAt, Supplier<Source> source) {
		return schedule(pk, createdAt, 0, source);
	}

	/**
	 * The schedule in force of the scheduler stored under {@code pk} under amendment
	 * {@code amendment} (0: the registered spec), compiled on first use from the columns
	 * {@code source} reads.
	 */
	public Schedule schedule(long pk, Instant createdAt, long amendment, Supplier<Source> source) {
		return this.schedules.get(new ScheduleKey(pk, createdAt, amendment), (key) -> compile(source.get())).schedule();
	}

	/** Remembers the schedule just built for a new registration. */
	void putSchedule(SchedulerEntity scheduler, Schedule schedule) {
		putSchedule(scheduler.getId(), scheduler.getCreatedAt(), 0, schedule, scheduler.getRequestJson().length());
	}

	/**
	 * Remembers the schedule an amendment put in force ({@code characters}: of the
	 * documents it was built from).
	 */
	public void putSchedule(long pk, Instant createdAt, long amendment, Schedule schedule, int characters) {
		this.schedules.put(new ScheduleKey(pk, createdAt, amendment), Compiled.of(schedule, characters));
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

	private Compiled compile(Source columns) {
		String amended = columns.amendmentSourceJson();
		if (amended != null) {
			return Compiled.of(this.json.amendmentSource(amended).build(), amended.length());
		}
		Map<String, Object> request = this.json.readDocument(columns.requestJson());
		@SuppressWarnings("unchecked")
		Map<String, Object> spec = (Map<String, Object>) request.get("scheduler");
		return Compiled.of(Schedule.of(spec, this.json.readParamGroups(columns.initialParamGroupsJson())),
				columns.requestJson().length());
	}

	/**
	 * The stored columns a schedule is compiled from.
	 *
	 * @param requestJson the registration request
	 * @param initialParamGroupsJson the param groups as registered
	 * @param amendmentSourceJson what the amendment in force builds its schedule from, or
	 * {@code null} for the registered spec
	 */
	public record Source(String requestJson, String initialParamGroupsJson, @Nullable String amendmentSourceJson) {

		public Source(String requestJson, String initialParamGroupsJson) {
			this(requestJson, initialParamGroupsJson, null);
		}

	}

	private record ScheduleKey(long pk, Instant createdAt, long amendment) {
	}

	private record ParsedState(String stateJson, ScheduleState state) {

		long bytes() {
			return MemoryEstimate.parsedState(this.stateJson.length());
		}

	}

	private record Compiled(Schedule schedule, long bytes) {

		static Compiled of(Schedule schedule, int characters) {
			return new Compiled(schedule,
					MemoryEstimate.compiledSchedule(characters, schedule.groups(), schedule.stateSize()));
		}

	}

}
