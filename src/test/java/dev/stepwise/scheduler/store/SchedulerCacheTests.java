package dev.stepwise.scheduler.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.stepwise.schedule.ParamGroup;
import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleState;
import dev.stepwise.system.StepwiseProperties;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A parsed state serves only the very document it was parsed from (or written as); a
 * compiled schedule serves its registration; both stay within their capacity.
 */
class SchedulerCacheTests {

	private final Schedule schedule = Schedule.of(Map.of("type", "StepLR", "step_size", 1L),
			List.of(new ParamGroup(0.1, null)));

	private final AtomicInteger parses = new AtomicInteger();

	@Test
	void servesTheStateOfTheSameDocumentWithoutParsing() {
		SchedulerCache cache = cache(10);
		ScheduleState start = this.schedule.start(0);
		ScheduleState first = cache.state(1, "{\"a\":1}", () -> parse(start));
		assertThat(cache.state(1, "{\"a\":1}", () -> parse(this.schedule.step(start, null)))).isSameAs(first);
		assertThat(this.parses).hasValue(1);
	}

	@Test
	void parsesAnotherDocumentOfTheSameScheduler() {
		SchedulerCache cache = cache(10);
		ScheduleState start = this.schedule.start(0);
		ScheduleState next = this.schedule.step(start, null);
		cache.putState(1, "{\"epoch\":1}", next);
		assertThat(cache.state(1, "{\"epoch\":0}", () -> parse(start))).isSameAs(start);
		assertThat(cache.state(1, "{\"epoch\":0}", () -> parse(next))).isSameAs(start);
		assertThat(cache.state(2, "{\"epoch\":1}", () -> parse(next))).isSameAs(next);
		assertThat(this.parses).hasValue(2);
	}

	@Test
	void holdsAtMostItsCapacityOfStates() {
		SchedulerCache cache = cache(1);
		ScheduleState start = this.schedule.start(0);
		for (long pk = 1; pk <= 3; pk++) {
			cache.putState(pk, "{}", start);
		}
		for (long pk = 1; pk <= 3; pk++) {
			cache.state(pk, "{}", () -> parse(start));
		}
		// of three schedulers, at most one state was kept
		assertThat(this.parses.get()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void compilesAScheduleOnceAndKeysItByRegistration() {
		SchedulerCache cache = cache(10);
		Instant registered = Instant.parse("2026-11-26T12:00:00Z");
		AtomicInteger reads = new AtomicInteger();
		SchedulerCache.Source source = new SchedulerCache.Source(
				"{\"param_groups\":[{\"lr\":0.1}],\"scheduler\":{\"type\":\"StepLR\",\"step_size\":3},\"last_epoch\":0}",
				"[{\"lr\":0.1,\"momentum\":null}]");
		Schedule first = cache.schedule(7, registered, () -> {
			reads.incrementAndGet();
			return source;
		});
		assertThat(first.type()).isEqualTo("StepLR");
		assertThat(cache.schedule(7, registered, () -> {
			reads.incrementAndGet();
			return source;
		})).isSameAs(first);
		// the same key re-registered later is another registration
		assertThat(cache.schedule(7, registered.plusSeconds(1), () -> {
			reads.incrementAndGet();
			return source;
		})).isNotSameAs(first);
		assertThat(reads).hasValue(2);
	}

	private ScheduleState parse(ScheduleState state) {
		this.parses.incrementAndGet();
		return state;
	}

	private static SchedulerCache cache(int capacity) {
		return new SchedulerCache(new JsonCodec(JsonMapper.builder().build()),
				new StepwiseProperties("./data", DataSize.ofMegabytes(1), Duration.ofSeconds(10), capacity,
						new StepwiseProperties.Steps(32, 1, Duration.ofSeconds(5)),
						new StepwiseProperties.Compute(1, 8, Duration.ofSeconds(2))));
	}

}
