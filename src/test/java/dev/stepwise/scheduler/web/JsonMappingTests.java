package dev.stepwise.scheduler.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stepwise.schedule.InvalidScheduleException;
import dev.stepwise.scheduler.HistoryEntry;
import dev.stepwise.scheduler.HistoryPage;
import dev.stepwise.scheduler.Registration;
import dev.stepwise.scheduler.SchedulerPosition;
import dev.stepwise.scheduler.StepCommand;
import dev.stepwise.system.SystemConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;
import org.springframework.boot.test.json.JacksonTester;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The JSON of requests and responses: integers and decimals stay apart on the way to the
 * engine, non-finite numbers are read as Python writes them and written as strings.
 */
@JsonTest
@Import(SystemConfiguration.class)
class JsonMappingTests {

	@Autowired
	private JacksonTester<RegisterRequest> register;

	@Autowired
	private JacksonTester<StepRequest> step;

	@Autowired
	private JacksonTester<StateResponse> state;

	@Autowired
	private JacksonTester<HistoryResponse> history;

	@Test
	void schedulerIntegersBecomeLongsAndDecimalsDoubles() throws Exception {
		Registration registration = this.register.parseObject("""
				{"param_groups": [{"lr": 1}], "scheduler": {"type": "OneCycleLR", "total_steps": 100,
				 "pct_start": 1.0, "max_lr": [1, 0.5, 2.0], "three_phase": true, "nested": {"k": 7, "x": null}},
				 "last_epoch": 3}""").toRegistration();
		Map<String, Object> spec = registration.scheduler();
		assertThat(spec.get("total_steps")).isInstanceOf(Long.class).isEqualTo(100L);
		assertThat(spec.get("pct_start")).isInstanceOf(Double.class).isEqualTo(1.0);
		assertThat(spec.get("max_lr")).isEqualTo(List.of(1L, 0.5, 2.0));
		assertThat(spec.get("three_phase")).isEqualTo(true);
		assertThat(spec.get("nested")).isEqualTo(nested());
		assertThat(registration.paramGroups().get(0).lr()).isEqualTo(1.0);
		assertThat(registration.lastEpoch()).isEqualTo(3);
	}

	private static Map<String, Object> nested() {
		Map<String, Object> nested = new LinkedHashMap<>();
		nested.put("k", 7L);
		nested.put("x", null);
		return nested;
	}

	@Test
	void schedulerIntegersBeyondLongAreRefused() {
		assertThatExceptionOfType(InvalidScheduleException.class)
			.isThrownBy(() -> this.register.parseObject("""
					{"param_groups": [{"lr": 1}], "scheduler": {"type": "StepLR", "step_size": 9223372036854775808}}""")
				.toRegistration())
			.satisfies((ex) -> assertThat(ex.errors().get(0).field()).isEqualTo("scheduler.step_size"));
	}

	@Test
	void schedulerNonFiniteNumbersAreRefused() {
		assertThatExceptionOfType(InvalidScheduleException.class)
			.isThrownBy(() -> this.register.parseObject("""
					{"param_groups": [{"lr": 1}], "scheduler": {"type": "CyclicLR", "base_lr": [0.1, Infinity]}}""")
				.toRegistration())
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(InvalidScheduleException.Kind.INVALID);
				assertThat(ex.errors().get(0).field()).isEqualTo("scheduler.base_lr[1]");
			});
	}

	@Test
	void metricsAreReadAsPythonWritesThem() throws Exception {
		assertThat(this.step.parseObject("{\"metric\": NaN}").metric()).isNaN();
		assertThat(this.step.parseObject("{\"metric\": Infinity}").metric()).isEqualTo(Double.POSITIVE_INFINITY);
		assertThat(this.step.parseObject("{\"metric\": -Infinity}").metric()).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(this.step.parseObject("{\"metric\": \"NaN\"}").metric()).isNaN();
		assertThat(this.step.parseObject("{\"metric\": \"-Infinity\"}").metric()).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(this.step.parseObject("{\"metric\": 2, \"epoch\": 7}").toCommand())
			.isEqualTo(new StepCommand(7.0, 2.0));
		assertThat(this.step.parseObject("{\"metric\": null}").metric()).isNull();
	}

	@Test
	void stateIsWrittenWithItsStoredParamGroups() throws Exception {
		assertThat(this.state
			.write(StateResponse.of(new SchedulerPosition("a", 3, "[{\"lr\":1.0E-4,\"momentum\":null}]"))))
			.isStrictlyEqualToJson(
					"{\"id\": \"a\", \"last_epoch\": 3, \"param_groups\": [{\"lr\": 0.0001, \"momentum\": null}]}");
	}

	@Test
	void historyWritesNonFiniteMetricsAsStringsAndEpochsAsTheyWere() throws Exception {
		Instant at = Instant.parse("2026-01-02T03:04:05.123456Z");
		HistoryPage page = new HistoryPage(List.of(new HistoryEntry(10, 10, Double.NEGATIVE_INFINITY, "[]", at),
				new HistoryEntry(10, 10.5, 0.25, "[]", at)), 11.0);
		assertThat(this.history.write(HistoryResponse.of(page))).isStrictlyEqualToJson(
				"""
						{"items": [{"epoch": 10, "param_groups": [], "metric": "-Infinity", "recorded_at": "2026-01-02T03:04:05.123456Z", "attempt": null},
						           {"epoch": 10.5, "param_groups": [], "metric": 0.25, "recorded_at": "2026-01-02T03:04:05.123456Z", "attempt": null}],
						 "next_from_epoch": 11}""");
	}

}
