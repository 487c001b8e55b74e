package dev.stepwise.scheduler.web;

import java.time.Instant;
import java.util.List;

import dev.stepwise.schedule.InvalidScheduleException;
import dev.stepwise.schedule.ScheduleAmendment;
import dev.stepwise.scheduler.AmendmentCommand;
import dev.stepwise.scheduler.AmendmentConflictException;
import dev.stepwise.scheduler.AmendmentRecord;
import dev.stepwise.scheduler.AmendmentResult;
import dev.stepwise.scheduler.AmendmentService;
import dev.stepwise.scheduler.Amendments;
import dev.stepwise.scheduler.SchedulerNotFoundException;
import org.junit.jupiter.api.Test;

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
import static org.mockito.Mockito.never;

/**
 * {@code POST .../amendments} over HTTP: what the request becomes, and the problem of
 * every bad amendment, naming its field.
 */
@ApiSliceTest
class AmendmentControllerTests {

	private static final String PATH = "/api/v1/schedulers/run-1/amendments";

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private AmendmentService amendments;

	private MvcTestResult post(String body) {
		return json(this.mvc.post().uri(PATH), body);
	}

	private static AmendmentRecord record(String status) {
		return new AmendmentRecord("longer", 10, status, "{\"amendment_id\":\"longer\"}", null, null, null,
				Instant.parse("2026-01-02T03:04:05Z"), null, null);
	}

	private void answers(boolean created) {
		given(this.amendments.amend(eq("run-1"), any()))
			.willReturn(new AmendmentResult(SchedulerControllerTests.details(), record("pending"), created));
		given(this.amendments.amendments("run-1"))
			.willReturn(new Amendments("{\"type\":\"StepLR\"}", List.of(record("pending"))));
	}

	@Test
	void anExtensionIsRecordedAndAnsweredWithTheScheduler() {
		answers(true);
		MvcTestResult result = post(
				"{\"amendment_id\": \"longer\", \"at_epoch\": 10, \"extend\": {\"total_steps\": 2000}}");
		assertThat(result).hasStatus(201).bodyJson().extractingPath("$.amendments[0].status").isEqualTo("pending");
		assertThat(result).bodyJson().extractingPath("$.amendments[0].request.amendment_id").isEqualTo("longer");
		assertThat(result).bodyJson().extractingPath("$.scheduler_in_force.type").isEqualTo("StepLR");
		then(this.amendments).should()
			.amend("run-1",
					new AmendmentCommand("longer", 10L, true, new ScheduleAmendment.Extend("total_steps", 2000)));
	}

	@Test
	void theSameAmendmentAgainIs200AndDecayNowTakesItsDefaults() {
		answers(false);
		assertThat(post("{\"amendment_id\": \"d\", \"continuous\": false, \"decay_now\": {\"decay_steps\": 5}}"))
			.hasStatus(200);
		then(this.amendments).should()
			.amend("run-1", new AmendmentCommand("d", null, false, new ScheduleAmendment.DecayNow(5, "cosine", 0.0)));
	}

	@Test
	void notExactlyOneChangeIs400() {
		assertField(post("{\"amendment_id\": \"a\"}"), 400, "extend", null);
		assertField(
				post("{\"amendment_id\": \"a\", \"scheduler\": {\"type\": \"StepLR\"}, \"extend\": {\"T_max\": 3}}"),
				400, "scheduler", null);
		then(this.amendments).should(never()).amend(any(), any());
	}

	@Test
	void malformedFieldsAreProblemsNamingThem() {
		assertField(post("{\"extend\": {\"T_max\": 30}}"), 400, "amendment_id", null);
		assertField(post("{\"amendment_id\": \"a b\", \"extend\": {\"T_max\": 30}}"), 422, "amendment_id", null);
		assertField(post("{\"amendment_id\": \"a\", \"at_epoch\": -1, \"extend\": {\"T_max\": 30}}"), 422, "at_epoch",
				null);
		assertField(post("{\"amendment_id\": \"a\", \"extend\": {\"T_max\": 30, \"total_steps\": 3}}"), 422, "extend",
				null);
		assertField(post("{\"amendment_id\": \"a\", \"extend\": {\"T_max\": \"long\"}}"), 422, "extend.T_max",
				"must be an integer number of steps");
		assertField(post("{\"amendment_id\": \"a\", \"decay_now\": {\"decay_steps\": 0}}"), 422,
				"decay_now.decay_steps", null);
		assertProblem(post("{\"amendment_id\": \"a\", \"extend\": {\"T_max\": 3}, \"when\": 3}"), 400,
				"malformed-request");
		then(this.amendments).should(never()).amend(any(), any());
	}

	@Test
	void aConflictIs409NamingTheFieldWithTheLastEpoch() {
		given(this.amendments.amend(eq("run-1"), any()))
			.willThrow(new AmendmentConflictException("at_epoch", "Epoch 3 has passed", 7));
		MvcTestResult result = post("{\"amendment_id\": \"a\", \"at_epoch\": 3, \"extend\": {\"T_max\": 30}}");
		assertProblem(result, 409, "amendment-conflict");
		assertField(result, 409, "at_epoch", "Epoch 3 has passed");
		assertThat(result).bodyJson().extractingPath("$.last_epoch").isEqualTo(7);
	}

	@Test
	void aChangeThatDoesNotFitIs422NamingIt() {
		given(this.amendments.amend(eq("run-1"), any())).willThrow(new InvalidScheduleException(
				InvalidScheduleException.Kind.INVALID, "decay_now", "does not fit OneCycleLR at epoch 3"));
		MvcTestResult result = post("{\"amendment_id\": \"a\", \"decay_now\": {\"decay_steps\": 5}}");
		assertProblem(result, 422, "invalid-argument");
		assertField(result, 422, "decay_now", "does not fit OneCycleLR at epoch 3");
	}

	@Test
	void anUnknownSchedulerIs404() {
		given(this.amendments.amend(eq("nope"), any())).willThrow(new SchedulerNotFoundException("nope"));
		assertProblem(json(this.mvc.post().uri("/api/v1/schedulers/nope/amendments"),
				"{\"amendment_id\": \"a\", \"extend\": {\"T_max\": 30}}"), 404, "scheduler-not-found");
	}

}
