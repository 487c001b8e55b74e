package dev.stepwise.scheduler.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.stepwise.schedule.InvalidStateException;
import dev.stepwise.scheduler.EpochConflictException;
import dev.stepwise.scheduler.HistoryEntry;
import dev.stepwise.scheduler.HistoryPage;
import dev.stepwise.scheduler.SchedulerNotFoundException;
import dev.stepwise.scheduler.SchedulerService;
import dev.stepwise.scheduler.SchedulerPosition;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.stepwise.scheduler.web.ProblemAssertions.assertField;
import static dev.stepwise.scheduler.web.ProblemAssertions.assertProblem;
import static dev.stepwise.scheduler.web.ProblemAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;

/**
 * History, resume and state documents over HTTP, and the problems of every failure.
 */
@ApiSliceTest
class TrainingControllerCheckpointTests {

	private static final SchedulerPosition STATE = new SchedulerPosition("run-1", 40,
			"[{\"lr\":0.5,\"momentum\":null}]");

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private SchedulerService schedulers;

	@Test
	void historyAnswersItemsInOrderWithTheNextEpoch() {
		Instant at = Instant.parse("2026-01-02T03:04:05Z");
		given(this.schedulers.history("run-1", 10.0, Double.POSITIVE_INFINITY, 2)).willReturn(
				new HistoryPage(List.of(new HistoryEntry(10, 10.0, Double.NaN, "[{\"lr\":1.0,\"momentum\":null}]", at),
						new HistoryEntry(10, 10.25, null, "[{\"lr\":0.9,\"momentum\":null}]", at)), 10.5));
		assertThat(this.mvc.get().uri("/api/v1/schedulers/run-1/history?from_epoch=10&limit=2").exchange())
			.hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("""
					{"items": [
					  {"epoch": 10, "param_groups": [{"lr": 1.0, "momentum": null}], "metric": "NaN",
					   "recorded_at": "2026-01-02T03:04:05Z", "attempt": null},
					  {"epoch": 10.25, "param_groups": [{"lr": 0.9, "momentum": null}], "metric": null,
					   "recorded_at": "2026-01-02T03:04:05Z", "attempt": null}],
					 "next_from_epoch": 10.5}""");
	}

	@Test
	void historyDefaultsToTheWholeHistoryAndAThousandItems() {
		given(this.schedulers.history("run-1", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1000))
			.willReturn(new HistoryPage(List.of(), null));
		assertThat(this.mvc.get().uri("/api/v1/schedulers/run-1/history").exchange()).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"items\": [], \"next_from_epoch\": null}");
	}

	@Test
	void historyParametersAreValidated() {
		assertField(this.mvc.get().uri("/api/v1/schedulers/run-1/history?limit=0").exchange(), 422, "limit", null);
		assertField(this.mvc.get().uri("/api/v1/schedulers/run-1/history?limit=10001").exchange(), 422, "limit", null);
		assertField(this.mvc.get().uri("/api/v1/schedulers/run-1/history?from_epoch=first").exchange(), 400,
				"from_epoch", "has the wrong type");
		assertField(this.mvc.get().uri("/api/v1/schedulers/run-1/history?from_epoch=NaN").exchange(), 422, "from_epoch",
				"must be a number, not NaN");
		assertField(this.mvc.get().uri("/api/v1/schedulers/run-1/history?to_epoch=NaN").exchange(), 422, "to_epoch",
				"must be a number, not NaN");
	}

	@Test
	void historyOfAnUnknownIdIs404() {
		given(this.schedulers.history(eq("nope"), any(Double.class), any(Double.class), any(Integer.class)))
			.willThrow(new SchedulerNotFoundException("nope"));
		assertProblem(this.mvc.get().uri("/api/v1/schedulers/nope/history").exchange(), 404, "scheduler-not-found");
	}

	@Test
	void resumeAnswersTheRestoredState() {
		given(this.schedulers.resume("run-1", 40, null)).willReturn(STATE);
		assertThat(resume("{\"last_epoch\": 40}")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo(
					"{\"id\": \"run-1\", \"last_epoch\": 40, \"param_groups\": [{\"lr\": 0.5, \"momentum\": null}]}");
	}

	@Test
	void resumeBodyIsValidated() {
		assertField(resume("{}"), 400, "last_epoch", "is required");
		assertField(resume("{\"last_epoch\": \"40\"}"), 400, "last_epoch", "must be an integer");
		assertField(resume("{\"last_epoch\": 40.5}"), 400, "last_epoch", "must be an integer");
		assertField(resume("{\"last_epoch\": -1}"), 422, "last_epoch", null);
		assertField(resume("{\"last_epoch\": 40, \"metric\": 1}"), 400, "metric", "unknown field");
	}

	@Test
	void resumeBeyondTheCurrentEpochIs409() {
		given(this.schedulers.resume("run-1", 90, null))
			.willThrow(new EpochConflictException("Cannot resume at epoch 90", 41, null));
		assertProblem(resume("{\"last_epoch\": 90}"), 409, "epoch-conflict");
	}

	@Test
	void stateIsTheStoredDocument() {
		given(this.schedulers.stateDocument("run-1")).willReturn("{\"last_epoch\":3,\"best\":\"Infinity\"}");
		MvcTestResult result = this.mvc.get().uri("/api/v1/schedulers/run-1/state").exchange();
		assertThat(result).hasStatusOk().hasContentTypeCompatibleWith(MediaType.APPLICATION_JSON);
		assertThat(result).bodyJson().isStrictlyEqualTo("{\"last_epoch\": 3, \"best\": \"Infinity\"}");
	}

	@Test
	void replaceStatePassesTheDocumentInEngineForm() {
		given(this.schedulers.replaceState(eq("run-1"), any(), isNull())).willReturn(STATE);
		assertThat(putState("{\"last_epoch\": 40, \"best\": Infinity, \"T_cur\": 1.5, \"base_lrs\": [1]}"))
			.hasStatusOk();
		@SuppressWarnings("unchecked")
		ArgumentCaptor<Map<String, Object>> document = ArgumentCaptor.forClass(Map.class);
		then(this.schedulers).should().replaceState(eq("run-1"), document.capture(), isNull());
		assertThat(document.getValue()).containsEntry("last_epoch", 40L)
			.containsEntry("best", Double.POSITIVE_INFINITY)
			.containsEntry("T_cur", 1.5)
			.containsEntry("base_lrs", List.of(1L));
	}

	@Test
	void stateThatDoesNotFitIs422() {
		given(this.schedulers.replaceState(eq("run-1"), any(), isNull()))
			.willThrow(new InvalidStateException("state.best", "must be a number"));
		MvcTestResult result = putState("{\"best\": []}");
		assertProblem(result, 422, "invalid-state");
		assertField(result, 422, "state.best", "must be a number");
	}

	@Test
	void stateThatIsNotAnObjectIs400() {
		assertProblem(putState("[]"), 400, "malformed-request");
		assertField(putState("{\"huge\": 123456789012345678901234567890}"), 422, "huge", "integer out of range");
	}

	private MvcTestResult resume(String body) {
		return json(this.mvc.post().uri("/api/v1/schedulers/run-1/resume"), body);
	}

	private MvcTestResult putState(String body) {
		return json(this.mvc.put().uri("/api/v1/schedulers/run-1/state"), body);
	}

}
