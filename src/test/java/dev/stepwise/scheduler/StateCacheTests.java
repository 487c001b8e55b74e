package dev.stepwise.scheduler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.stepwise.schedule.ParamGroup;
import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleState;
import dev.stepwise.system.StepwiseProperties;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A parsed state serves only the very document it was parsed from (or written as).
 */
class StateCacheTests {

	private final Schedule schedule = Schedule.of(Map.of("type", "StepLR", "step_size", 1),
			List.of(new ParamGroup(0.1, null)));

	private final AtomicInteger parses = new AtomicInteger();

	@Test
	void servesTheStateOfTheSameDocumentWithoutParsing() {
		StateCache cache = new StateCache(properties(10));
		ScheduleState start = this.schedule.start(0);
		ScheduleState first = cache.get(1, "{\"a\":1}", () -> parse(start));
		assertThat(cache.get(1, "{\"a\":1}", () -> parse(this.schedule.step(start, null)))).isSameAs(first);
		assertThat(this.parses).hasValue(1);
	}

	@Test
	void parsesAnotherDocumentOfTheSameScheduler() {
		StateCache cache = new StateCache(properties(10));
		ScheduleState start = this.schedule.start(0);
		ScheduleState next = this.schedule.step(start, null);
		cache.put(1, "{\"epoch\":1}", next);
		assertThat(cache.get(1, "{\"epoch\":0}", () -> parse(start))).isSameAs(start);
		assertThat(cache.get(1, "{\"epoch\":0}", () -> parse(next))).isSameAs(start);
		assertThat(cache.get(2, "{\"epoch\":1}", () -> parse(next))).isSameAs(next);
		assertThat(this.parses).hasValue(2);
	}

	@Test
	void holdsAtMostItsCapacity() {
		StateCache cache = new StateCache(properties(1));
		ScheduleState start = this.schedule.start(0);
		cache.put(1, "{}", start);
		cache.put(2, "{}", start);
		cache.get(2, "{}", () -> parse(start));
		assertThat(this.parses).hasValue(0);
		cache.get(1, "{}", () -> parse(start));
		assertThat(this.parses).hasValue(1);
	}

	private ScheduleState parse(ScheduleState state) {
		this.parses.incrementAndGet();
		return state;
	}

	private static StepwiseProperties properties(int capacity) {
		return new StepwiseProperties("./data", DataSize.ofMegabytes(1), capacity,
				new StepwiseProperties.Steps(32, 1));
	}

}
