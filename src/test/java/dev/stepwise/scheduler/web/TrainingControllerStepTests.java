package dev.stepwise.scheduler.web;

import dev.stepwise.schedule.StepException;
import dev.stepwise.scheduler.EpochConflictException;
import dev.stepwise.scheduler.SchedulerNotFoundException;
import dev.stepwise.scheduler.SchedulerPosition;
import dev.stepwise.scheduler.StepCommand;
import dev.stepwise.scheduler.SchedulerService;
import dev.stepwise.scheduler.StepResult;
import dev.stepwise.scheduler.CurrentPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.stepwise.scheduler.web.ProblemAssertions.assertField;
import static dev.stepwise.scheduler.web.ProblemAssertions.assertProblem;
import static dev.stepwise.scheduler.web.ProblemAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willThrow;

/**
 * Steps and the current lr over HTTP, and the problems of every failure.
 */
@ApiSliceTest
class TrainingControllerStepTests {

	private static final SchedulerPosition STATE = new SchedulerPosition("run-1", 41,
			"[{\"lr\":0.0125,\"momentum\":0.9}]");

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private SchedulerService steps;

	@Test
	void stepAnswersTheNewState() {
		given(this.steps.step("run-1", new StepCommand(41.0, 0.532))).willReturn(new StepResult(STATE, false));
		assertThat(step("{\"epoch\": 41, \"metric\": 0.532}")).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"id": "run-1", "last_epoch": 41, "param_groups": [{"lr": 0.0125, "momentum": 0.9}],
				 "replayed": false}""");
	}

	@Test
	void stepWithoutBodyOrWithAnEmptyOneTakesTheNextEpoch() {
		given(this.steps.step("run-1", new StepCommand(null, null))).willReturn(new StepResult(STATE, true));
		assertThat(this.mvc.post().uri("/api/v1/schedulers/run-1/steps").exchange()).hasStatusOk()
			.bodyJson()
			.extractingPath("$.replayed")
			.isEqualTo(true);
		assertThat(step("{}")).hasStatusOk();
	}

	@Test
	void nonFiniteMetricsAreAcceptedAsTokensAndStrings() {
		given(this.steps.step(eq("run-1"), any())).willReturn(new StepResult(STATE, false));
		assertThat(step("{\"metric\": NaN}")).hasStatusOk();
		then(this.steps).should().step("run-1", new StepCommand(null, Double.NaN));
		assertThat(step("{\"metric\": -Infinity}")).hasStatusOk();
		then(this.steps).should().step("run-1", new StepCommand(null, Double.NEGATIVE_INFINITY));
		assertThat(step("{\"metric\": \"Infinity\"}")).hasStatusOk();
		then(this.steps).should().step("run-1", new StepCommand(null, Double.POSITIVE_INFINITY));
	}

	@Test
	void wrongTypesAre400() {
		assertField(step("{\"metric\": \"low\"}"), 400, "metric", "must be a number");
		assertField(step("{\"metric\": \"0.5\"}"), 400, "metric", "must be a number");
		assertField(step("{\"epoch\": \"3\"}"), 400, "epoch", "must be a number");
		assertField(step("{\"epoch\": [3]}"), 400, "epoch", "must be a number");
		assertField(step("{\"epoc\": 3}"), 400, "epoc", "unknown field");
		assertProblem(step("[1]"), 400, "malformed-request");
		assertProblem(step("{\"metric\": 1"), 400, "malformed-request");
	}

	@Test
	void invalidEpochsAre422() {
		assertField(step("{\"epoch\": -1}"), 422, "epoch", null);
		assertField(step("{\"epoch\": NaN}"), 422, "epoch", null);
		assertField(step("{\"epoch\": 1e300}"), 422, "epoch", null);
	}

	@ParameterizedTest
	@CsvSource({ "METRIC_REQUIRED, 400, metric-required, metric",
			"FRACTIONAL_EPOCH_UNSUPPORTED, 422, invalid-argument, epoch", "REFUSED, 409, step-refused," })
	void stepsTheEngineRefusesAreProblems(StepException.Reason reason, int status, String type, String field) {
		willThrow(new StepException(reason, "refused")).given(this.steps).step(eq("run-1"), any());
		MvcTestResult result = step("{\"epoch\": 4.5}");
		assertProblem(result, status, type);
		if (field != null) {
			assertField(result, status, field, null);
		}
	}

	@Test
	void gapIs409NamingTheExpectedEpoch() {
		given(this.steps.step(eq("run-1"), any()))
			.willThrow(new EpochConflictException("Epoch 50 would skip epochs", 41, 42L));
		MvcTestResult result = step("{\"epoch\": 50}");
		assertProblem(result, 409, "epoch-conflict");
		assertThat(result).bodyJson().extractingPath("$.expected_epoch").isEqualTo(42);
		assertThat(result).bodyJson().extractingPath("$.last_epoch").isEqualTo(41);
	}

	/**
	 * What a storage failure of a batch of steps ends in (a full disk, a database
	 * restarting or out of reach): 503 with Retry-After, and nothing of the failure.
	 */
	@Test
	void aDatabaseThatCannotWriteOrIsGoneIs503WithRetryAfter() {
		given(this.steps.step(eq("run-1"), any())).willThrow(
				new TransientDataAccessResourceException("Step failed: could not extend file: No space left on device"),
				new DataAccessResourceFailureException("terminating connection due to administrator command"));
		for (int i = 0; i < 2; i++) {
			MvcTestResult result = step("{\"epoch\": 42}");
			assertProblem(result, 503, "service-unavailable");
			assertThat(result).hasHeader("Retry-After", "1");
			assertThat(result).bodyText().doesNotContain("No space").doesNotContain("terminating");
		}
	}

	@Test
	void stepOfAnUnknownIdIs404() {
		given(this.steps.step(eq("nope"), any())).willThrow(new SchedulerNotFoundException("nope"));
		assertProblem(this.mvc.post().uri("/api/v1/schedulers/nope/steps").exchange(), 404, "scheduler-not-found");
	}

	@Test
	void lrAnswersTheStateWithAnETag() {
		given(this.steps.current("run-1")).willReturn(new CurrentPosition(STATE, 7, 41));
		MvcTestResult result = this.mvc.get().uri("/api/v1/schedulers/run-1/lr").exchange();
		assertThat(result).hasStatusOk().hasHeader("ETag", "\"7-41\"");
		assertThat(result).bodyJson().isStrictlyEqualTo("""
				{"id": "run-1", "last_epoch": 41, "param_groups": [{"lr": 0.0125, "momentum": 0.9}]}""");
	}

	@Test
	void lrAnswers304WhileTheETagMatches() {
		given(this.steps.current("run-1")).willReturn(new CurrentPosition(STATE, 7, 41));
		assertThat(this.mvc.get().uri("/api/v1/schedulers/run-1/lr").header("If-None-Match", "\"7-40\", W/\"7-41\""))
			.hasStatus(HttpStatus.NOT_MODIFIED)
			.hasHeader("ETag", "\"7-41\"");
		assertThat(this.mvc.get().uri("/api/v1/schedulers/run-1/lr").header("If-None-Match", "\"7-40\"")).hasStatusOk();
	}

	@Test
	void lrOfAnUnknownIdIs404() {
		given(this.steps.current("nope")).willThrow(new SchedulerNotFoundException("nope"));
		assertProblem(this.mvc.get().uri("/api/v1/schedulers/nope/lr").exchange(), 404, "scheduler-not-found");
	}

	private MvcTestResult step(String body) {
		return json(this.mvc.post().uri("/api/v1/schedulers/run-1/steps"), body);
	}

}
