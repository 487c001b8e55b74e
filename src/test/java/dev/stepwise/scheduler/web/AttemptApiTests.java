package dev.stepwise.scheduler.web;

import java.time.Instant;
import java.util.List;

import dev.stepwise.scheduler.AttemptRecord;
import dev.stepwise.scheduler.HistoryEntry;
import dev.stepwise.scheduler.HistoryPage;
import dev.stepwise.scheduler.Registration;
import dev.stepwise.scheduler.RegistrationResult;
import dev.stepwise.scheduler.SchedulerDetails;
import dev.stepwise.scheduler.SchedulerPosition;
import dev.stepwise.scheduler.SchedulerService;
import dev.stepwise.scheduler.StaleAttemptException;
import dev.stepwise.scheduler.StepCommand;
import dev.stepwise.scheduler.StepResult;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
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

/**
 * Training attempts over HTTP: the attempt of every mutating request reaches the service,
 * a stale attempt is a 409 of its own type naming the current attempt, and the resource,
 * the history and the list of attempts show them.
 */
@ApiSliceTest
class AttemptApiTests {

	private static final SchedulerPosition STATE = new SchedulerPosition("run-1", 40,
			"[{\"lr\":0.5,\"momentum\":null}]");

	private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private SchedulerService schedulers;

	@Test
	void registrationPassesTheAttemptAndTheResourceShowsIt() {
		SchedulerDetails details = new SchedulerDetails(
				new SchedulerPosition("run-1", 0, "[{\"lr\":0.1,\"momentum\":null}]"),
				"{\"type\":\"StepLR\",\"step_size\":30,\"gamma\":0.1}", "[{\"lr\":0.1,\"momentum\":null}]", AT, AT,
				"job-7/1", false);
		given(this.schedulers.register(any())).willReturn(new RegistrationResult(details, false));
		MvcTestResult result = json(this.mvc.post().uri("/api/v1/schedulers"), """
				{"id": "run-1", "param_groups": [{"lr": 0.1}], "scheduler": {"type": "StepLR", "step_size": 30},
				 "attempt": "job-7/1"}""");
		assertThat(result).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"id": "run-1", "last_epoch": 0, "param_groups": [{"lr": 0.1, "momentum": null}],
				 "scheduler": {"type": "StepLR", "step_size": 30, "gamma": 0.1},
				 "initial_param_groups": [{"lr": 0.1, "momentum": null}],
				 "created_at": "2026-01-02T03:04:05Z", "updated_at": "2026-01-02T03:04:05Z",
				 "attempt": "job-7/1", "attempt_started": false}""");
		ArgumentCaptor<Registration> captor = ArgumentCaptor.forClass(Registration.class);
		then(this.schedulers).should().register(captor.capture());
		assertThat(captor.getValue().attempt()).isEqualTo("job-7/1");
	}

	@Test
	void aSupersededAttemptsRegistrationIs409StaleAttempt() {
		given(this.schedulers.register(any())).willThrow(new StaleAttemptException("job-7/0", "job-7/1"));
		MvcTestResult result = json(this.mvc.post().uri("/api/v1/schedulers"), """
				{"id": "run-1", "param_groups": [{"lr": 0.1}], "scheduler": {"type": "StepLR", "step_size": 30},
				 "attempt": "job-7/0"}""");
		assertProblem(result, 409, "stale-attempt");
		assertThat(result).bodyJson().extractingPath("$.attempt").isEqualTo("job-7/1");
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Stale attempt");
	}

	@Test
	void stepPassesTheAttemptAndAStaleOneIs409() {
		given(this.schedulers.step("run-1", new StepCommand(41.0, null, "job-7/1")))
			.willReturn(new StepResult(STATE, false));
		assertThat(step("{\"epoch\": 41, \"attempt\": \"job-7/1\"}")).hasStatusOk();

		given(this.schedulers.step("run-1", new StepCommand(41.0, null, "job-7/0")))
			.willThrow(new StaleAttemptException("job-7/0", "job-7/1"));
		MvcTestResult stale = step("{\"epoch\": 41, \"attempt\": \"job-7/0\"}");
		assertProblem(stale, 409, "stale-attempt");
		assertThat(stale).bodyJson().extractingPath("$.attempt").isEqualTo("job-7/1");
	}

	@Test
	void anAttemptOfNoSchedulerNamesNone() {
		given(this.schedulers.step(eq("run-1"), any())).willThrow(new StaleAttemptException("job-7/0", null));
		MvcTestResult stale = step("{\"attempt\": \"job-7/0\"}");
		assertProblem(stale, 409, "stale-attempt");
		assertThat(stale).bodyJson().extractingPath("$.attempt").isNull();
	}

	@Test
	void attemptIdsAreValidated() {
		assertField(step("{\"attempt\": \"job 7\"}"), 422, "attempt", null);
		assertField(step("{\"attempt\": \"\"}"), 422, "attempt", null);
		assertField(step("{\"attempt\": \"" + "a".repeat(201) + "\"}"), 422, "attempt", null);
		assertField(step("{\"attempt\": 7}"), 400, "attempt", null);
		assertField(
				json(this.mvc.post().uri("/api/v1/schedulers/run-1/resume"), "{\"last_epoch\": 4, \"attempt\": \"é\"}"),
				422, "attempt", null);
		assertField(json(this.mvc.put().uri("/api/v1/schedulers/run-1/state?attempt=a b"), "{\"last_epoch\": 4}"), 422,
				"attempt", null);
	}

	@Test
	void resumeAndStatePassTheAttempt() {
		given(this.schedulers.resume("run-1", 40, "job-7/1")).willReturn(STATE);
		assertThat(json(this.mvc.post().uri("/api/v1/schedulers/run-1/resume"),
				"{\"last_epoch\": 40, \"attempt\": \"job-7/1\"}"))
			.hasStatusOk();
		given(this.schedulers.replaceState(eq("run-1"), any(), eq("job-7/1"))).willReturn(STATE);
		assertThat(json(this.mvc.put().uri("/api/v1/schedulers/run-1/state?attempt=job-7/1"), "{\"last_epoch\": 40}"))
			.hasStatusOk();

		given(this.schedulers.resume("run-1", 40, "job-7/0"))
			.willThrow(new StaleAttemptException("job-7/0", "job-7/1"));
		assertProblem(json(this.mvc.post().uri("/api/v1/schedulers/run-1/resume"),
				"{\"last_epoch\": 40, \"attempt\": \"job-7/0\"}"), 409, "stale-attempt");
		given(this.schedulers.replaceState(eq("run-1"), any(), eq("job-7/0")))
			.willThrow(new StaleAttemptException("job-7/0", "job-7/1"));
		assertProblem(
				json(this.mvc.put().uri("/api/v1/schedulers/run-1/state?attempt=job-7/0"), "{\"last_epoch\": 40}"), 409,
				"stale-attempt");
	}

	@Test
	void historyNamesTheAttemptOfEachRecord() {
		given(this.schedulers.history("run-1", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1000))
			.willReturn(new HistoryPage(List.of(new HistoryEntry(0, 0, null, "[]", AT, "job-7/1"),
					new HistoryEntry(1, 1, null, "[]", AT, null)), null));
		assertThat(this.mvc.get().uri("/api/v1/schedulers/run-1/history").exchange()).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("""
					{"items": [
					  {"epoch": 0, "param_groups": [], "metric": null, "recorded_at": "2026-01-02T03:04:05Z",
					   "attempt": "job-7/1"},
					  {"epoch": 1, "param_groups": [], "metric": null, "recorded_at": "2026-01-02T03:04:05Z",
					   "attempt": null}],
					 "next_from_epoch": null}""");
	}

	@Test
	void attemptsAreListedInTheOrderOfAdoption() {
		given(this.schedulers.attempts("run-1"))
			.willReturn(List.of(new AttemptRecord("job-7/0", false, AT, "step", 0.0, AT, null, AT),
					new AttemptRecord("job-7/1", true, AT, "resume", 40.0, AT, 40L, null)));
		assertThat(this.mvc.get().uri("/api/v1/schedulers/run-1/attempts").exchange()).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("""
					{"items": [
					  {"attempt": "job-7/0", "current": false, "adopted_at": "2026-01-02T03:04:05Z",
					   "started_by": "step", "start_epoch": 0, "started_at": "2026-01-02T03:04:05Z",
					   "restored_epoch": null, "superseded_at": "2026-01-02T03:04:05Z"},
					  {"attempt": "job-7/1", "current": true, "adopted_at": "2026-01-02T03:04:05Z",
					   "started_by": "resume", "start_epoch": 40, "started_at": "2026-01-02T03:04:05Z",
					   "restored_epoch": 40, "superseded_at": null}],
					 "restores": []}""");
	}

	private MvcTestResult step(String body) {
		return json(this.mvc.post().uri("/api/v1/schedulers/run-1/steps"), body);
	}

}
