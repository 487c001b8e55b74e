package dev.stepwise.scheduler;
import java.util.function.Supplier;

import dev.stepwise.schedule.ScheduleState;
import dev.stepwise.system.StepwiseProperties;

import org.springframework.stereotype.Component;

/**
 * Each scheduler's current state as the engine reads it, so that a step need not parse the state
 * document the previous step wrote. An entry serves only a step that read the very same document
 * under the row lock: it cannot be stale, whatever other replicas did meanwhile.
 */
@Component
class StateCache {

	private final BoundedCache<Long, Parsed> states;

	StateCache(StepwiseProperties properties) {
		this.states = new BoundedCache<>(properties.scheduleCacheSize());
	}

	/** The state of the document {@code stateJson} of scheduler {@code pk}, parsed unless known. */
	ScheduleState get(long pk, String stateJson, Supplier<ScheduleState> parse) {
		Parsed parsed = this.states.get(pk);
		if (parsed != null && parsed.stateJson().equals(stateJson)) {
			return parsed.state();
		}
		ScheduleState state = parse.get();
		put(pk, stateJson, state);
		return state;
	}

	/** Remembers the state a step wrote as the document {@code stateJson}. */
	void put(long pk, String stateJson, ScheduleState state) {
		this.states.put(pk, new Parsed(stateJson, state));
	}

	private record Parsed(String stateJson, ScheduleState state) {
	}

}
