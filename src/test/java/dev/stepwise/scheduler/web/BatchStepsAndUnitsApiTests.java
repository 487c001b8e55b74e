package dev.stepwise.scheduler.web;

import java.util.List;

import dev.stepwise.schedule.FieldError;
import dev.stepwise.schedule.InvalidScheduleException;
import dev.stepwise.scheduler.CurrentPosition;
import dev.stepwise.scheduler.InvalidRequestException;
import dev.stepwise.scheduler.Limits;
import dev.stepwise.scheduler.SchedulerPosition;
import dev.stepwise.scheduler.SchedulerService;
import dev.stepwise.scheduler.StepCommand;
import dev.stepwise.scheduler.StepResult;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.stepwise.scheduler.web.ProblemAssertions.assertField;
import static dev.stepwise.scheduler.web.ProblemAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willThrow;

/**
 * {@code count} and {@code consumed} over HTTP: how they reach the service, how a
 * position in tokens is answered, and the problems of every bad value.
 */
@ApiSliceTest
class BatchStepsAndUnitsApiTests {

	private static final SchedulerPosition IN_TOKENS = new SchedulerPosition("run-1", 4,
			"[{\"lr\":0.5,\"momentum\":null}]", 1800L);

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private SchedulerService schedulers;

	@Test
	void countAndConsumedReachTheServiceAndThePositionIsAnswered() {
		given(this.schedulers.step(eq("run-1"), any())).willReturn(new StepResult(IN_TOKENS, false));
		assertThat(step("{\"epoch\": 4, \"count\": 2, \"consumed\": 600}")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("""
					{"id": "run-1", "last_epoch": 4, "param_groups": [{"lr": 0.5, "momentum": null}],
					 "replayed": false, "consumed": 1800}""");
		then(this.schedulers).should().step("run-1", new StepCommand(4.0, null, null, 2, 600L));
		assertThat(step("{}")).hasStatusOk();
		then(this.schedulers).should().step("run-1", new StepCommand(null, null, null, 1, null));
	}

	@Test
	void theCurrentLrShowsThePositionOnlyForAScheduleInTokens() {
		given(this.schedulers.current("run-1")).willReturn(new CurrentPosition(IN_TOKENS, 1, 1));
		assertThat(this.mvc.get().uri("/api/v1/schedulers/run-1/lr").exchange()).hasStatusOk()
			.bodyJson()
			.extractingPath("$.consumed")
			.isEqualTo(1800);
		given(this.schedulers.current("run-2")).willReturn(
				new CurrentPosition(new SchedulerPosition("run-2", 4, "[{\"lr\":0.5,\"momentum\":null}]"), 2, 1));
		assertThat(this.mvc.get().uri("/api/v1/schedulers/run-2/lr").exchange()).hasStatusOk()
			.bodyJson()
			.doesNotHavePath("$.consumed");
	}

	@Test
	void aCountOutsideItsRangeIs422NamingCount() {
		assertField(step("{\"count\": 0}"), 422, "count", null);
		assertField(step("{\"count\": " + (Limits.MAX_STEP_COUNT + 1) + "}"), 422, "count", null);
		assertField(step("{\"count\": 2.5}"), 400, "count", null);
		assertField(step("{\"count\": \"4\"}"), 400, "count", null);
	}

	@Test
	void aConsumptionThatIsNotAPositiveIntegerIsAProblemNamingConsumed() {
		assertField(step("{\"consumed\": 0}"), 422, "consumed", null);
		assertField(step("{\"consumed\": -1}"), 422, "consumed", null);
		assertField(step("{\"consumed\": 1.5}"), 400, "consumed", null);
		assertField(step("{\"consumed\": \"many\"}"), 400, "consumed", null);
	}

	@Test
	void theServicesRefusalsOfConsumedAndCountNameTheField() {
		willThrow(InvalidRequestException.malformed("consumed", "is required")).given(this.schedulers)
			.step("missing", new StepCommand(null, null, null, 1, null));
		assertField(json(this.mvc.post().uri("/api/v1/schedulers/missing/steps"), "{}"), 400, "consumed",
				"is required");
		willThrow(new InvalidRequestException("count", "records too many states")).given(this.schedulers)
			.step("wide", new StepCommand(null, null, null, 1000, null));
		assertField(json(this.mvc.post().uri("/api/v1/schedulers/wide/steps"), "{\"count\": 1000}"), 422, "count",
				"records too many states");
	}

	@Test
	void aUnitOnATypeWithoutAClosedFormNamesTheUnitAndTheType() {
		given(this.schedulers.register(any())).willThrow(new InvalidScheduleException(
				InvalidScheduleException.Kind.INVALID, List.of(new FieldError("scheduler.unit", "no closed form"),
						new FieldError("scheduler.type", "StepLR counts steps only"))));
		MvcTestResult result = json(this.mvc.post().uri("/api/v1/schedulers"),
				"{\"param_groups\": [{\"lr\": 1.0}], \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2,"
						+ " \"unit\": \"tokens\"}}");
		assertField(result, 422, "scheduler.unit", "no closed form");
		assertThat(result).bodyJson().extractingPath("$.errors[1].field").isEqualTo("scheduler.type");
	}

	@Test
	void aPreviewTakesOneConsumptionPerStepAsIntegers() {
		assertField(json(this.mvc.post().uri("/api/v1/previews"),
				"{\"param_groups\": [{\"lr\": 1.0}], \"scheduler\": {\"type\": \"constant\", \"unit\": \"tokens\"},"
						+ " \"steps\": 2, \"consumed\": [1.5, 2]}"),
				400, "consumed[0]", null);
	}

	private MvcTestResult step(String body) {
		return json(this.mvc.post().uri("/api/v1/schedulers/run-1/steps"), body);
	}

}
