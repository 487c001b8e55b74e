package dev.stepwise.scheduler.web;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.stepwise.schedule.FieldError;
import dev.stepwise.schedule.InvalidScheduleException;
import dev.stepwise.schedule.ParamGroup;
import dev.stepwise.scheduler.AmendmentService;
import dev.stepwise.scheduler.Amendments;
import dev.stepwise.scheduler.ComputeBusyException;
import dev.stepwise.scheduler.ComputeTooLargeException;
import dev.stepwise.scheduler.IdScope;
import dev.stepwise.scheduler.Registration;
import dev.stepwise.scheduler.RegistrationConflictException;
import dev.stepwise.scheduler.RegistrationResult;
import dev.stepwise.scheduler.SchedulerDetails;
import dev.stepwise.scheduler.SchedulerListQuery;
import dev.stepwise.scheduler.SchedulerNotFoundException;
import dev.stepwise.scheduler.SchedulerPage;
import dev.stepwise.scheduler.SchedulerService;
import dev.stepwise.scheduler.SchedulerPosition;
import dev.stepwise.scheduler.SchedulerSummary;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.stepwise.scheduler.web.ProblemAssertions.assertField;
import static dev.stepwise.scheduler.web.ProblemAssertions.assertProblem;
import static dev.stepwise.scheduler.web.ProblemAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willThrow;

/**
 * Registration, reading, listing and deletion over HTTP, and the problems of every
 * failure.
 */
@ApiSliceTest
class SchedulerControllerTests {

	private static final String VALID = """
			{"id": "run-1", "param_groups": [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.01}],
			 "scheduler": {"type": "StepLR", "step_size": 30, "gamma": 0.1}}""";

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private SchedulerService schedulers;

	@Autowired
	private AmendmentService amendments;

	@Test
	void registerAnswers201WithLocationAndResource() {
		given(this.schedulers.register(any())).willReturn(new RegistrationResult(details(), true));
		MvcTestResult result = register(VALID);
		assertThat(result).hasStatus(HttpStatus.CREATED)
			.hasHeader("Location", "http://localhost/api/v1/schedulers/run-1");
		assertThat(result).bodyJson().isLenientlyEqualTo("""
				{"id": "run-1", "last_epoch": 0, "param_groups": [{"lr": 0.1, "momentum": 0.9}],
				 "scheduler": {"type": "StepLR", "step_size": 30, "gamma": 0.1},
				 "initial_param_groups": [{"lr": 0.1, "momentum": 0.9}],
				 "created_at": "2026-01-02T03:04:05Z", "updated_at": "2026-01-02T03:04:05Z"}""");
	}

	@Test
	void registerMapsTheBodyToTheEngineForm() {
		given(this.schedulers.register(any())).willReturn(new RegistrationResult(details(), true));
		register("""
				{"param_groups": [{"lr": 0.1}], "last_epoch": -1,
				 "scheduler": {"type": "OneCycleLR", "max_lr": [1, 0.5], "total_steps": 10, "pct_start": 0.25}}""");
		ArgumentCaptor<Registration> captor = ArgumentCaptor.forClass(Registration.class);
		then(this.schedulers).should().register(captor.capture());
		Registration registration = captor.getValue();
		assertThat(registration.id()).isNull();
		assertThat(registration.lastEpoch()).isEqualTo(-1);
		assertThat(registration.paramGroups()).containsExactly(new ParamGroup(0.1, null));
		assertThat(registration.scheduler()).containsEntry("total_steps", 10L)
			.containsEntry("pct_start", 0.25)
			.containsEntry("max_lr", List.of(1L, 0.5));
	}

	@Test
	void registerOfAnIdenticalBodyAnswers200() {
		given(this.schedulers.register(any())).willReturn(new RegistrationResult(details(), false));
		assertThat(register(VALID)).hasStatus(HttpStatus.OK).doesNotContainHeader("Location");
	}

	@Test
	void registrationBeyondTheMemoryBudgetIs422NamingEstimateAndLimit() {
		given(this.schedulers.register(any())).willThrow(new ComputeTooLargeException(30_000_000, 25_000_000));
		MvcTestResult result = register(VALID);
		assertProblem(result, 422, "memory-limit-exceeded");
		assertThat(result).bodyJson().extractingPath("$.estimate_bytes").isEqualTo(30_000_000);
		assertThat(result).bodyJson().extractingPath("$.limit_bytes").isEqualTo(25_000_000);
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.contains("30000000 bytes", "limit of 25000000 bytes");
	}

	@Test
	void registrationWithoutRoomInTheBudgetIs503WithRetryAfter() {
		given(this.schedulers.register(any()))
			.willThrow(new ComputeBusyException("no room in the memory budget", Duration.ofSeconds(2)));
		MvcTestResult result = register(VALID);
		assertProblem(result, 503, "service-unavailable");
		assertThat(result).headers().hasValue("Retry-After", "2");
	}

	@Test
	void registerOfADifferentBodyIs409() {
		given(this.schedulers.register(any())).willThrow(new RegistrationConflictException("run-1"));
		assertProblem(register(VALID), 409, "registration-conflict");
	}

	@Test
	void unknownSchedulerArgumentIs400NamingTheField() {
		given(this.schedulers.register(any())).willThrow(new InvalidScheduleException(
				InvalidScheduleException.Kind.MALFORMED, "scheduler.gama", "unexpected keyword argument"));
		MvcTestResult result = register(VALID);
		assertProblem(result, 400, "malformed-request");
		assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("scheduler.gama");
	}

	@Test
	void invalidSchedulerValueIs422WithEveryError() {
		given(this.schedulers.register(any()))
			.willThrow(new InvalidScheduleException(InvalidScheduleException.Kind.INVALID, List
				.of(new FieldError("scheduler.factor", "must be < 1.0"), new FieldError("scheduler.mode", "unknown"))));
		MvcTestResult result = register(VALID);
		assertProblem(result, 422, "invalid-argument");
		assertThat(result).bodyJson()
			.extractingPath("$.errors[*].field")
			.asArray()
			.containsExactly("scheduler.factor", "scheduler.mode");
	}

	@Test
	void malformedJsonIs400() {
		MvcTestResult result = register("{\"param_groups\": [");
		assertProblem(result, 400, "malformed-request");
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.startsWith("The request body is not valid JSON")
			.doesNotContain("Source");
	}

	@Test
	void wrongJsonTypeIs400NamingTheField() {
		assertField(register("{\"param_groups\": [{\"lr\": \"0.1\"}], \"scheduler\": {\"type\": \"StepLR\"}}"), 400,
				"param_groups[0].lr", "must be a number");
		assertField(register("{\"param_groups\": {\"lr\": 0.1}, \"scheduler\": {\"type\": \"StepLR\"}}"), 400,
				"param_groups", "must be an array");
		assertField(register("{\"param_groups\": [{\"lr\": 0.1}], \"scheduler\": \"StepLR\"}"), 400, "scheduler",
				"must be an object");
		assertField(register("{\"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {}, \"last_epoch\": 1.5}"), 400,
				"last_epoch", "must be an integer");
		assertField(register("{\"id\": 5, \"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {}}"), 400, "id",
				"must be a string");
		assertField(register("{\"param_groups\": [{\"lr\": \"\"}], \"scheduler\": {}}"), 400, "param_groups[0].lr",
				"must be a number");
		assertField(register("{\"param_groups\": [{\"lr\": true}], \"scheduler\": {}}"), 400, "param_groups[0].lr",
				"must be a number");
	}

	@Test
	void unknownFieldIs400() {
		assertField(register("{\"param_group\": [{\"lr\": 0.1}], \"scheduler\": {}}"), 400, "param_group",
				"unknown field");
		assertField(register("{\"param_groups\": [{\"lr\": 0.1, \"momentun\": 0.9}], \"scheduler\": {}}"), 400,
				"param_groups[0].momentun", "unknown field");
	}

	@Test
	void missingFieldIs400() {
		assertField(register("{\"scheduler\": {\"type\": \"StepLR\"}}"), 400, "param_groups", "is required");
		assertField(register("{\"param_groups\": [{\"lr\": 0.1}]}"), 400, "scheduler", "is required");
		assertField(register("{\"param_groups\": [{\"momentum\": 0.1}], \"scheduler\": {}}"), 400, "param_groups[0].lr",
				"is required");
	}

	@Test
	void missingBodyIs400() {
		assertProblem(this.mvc.post().uri("/api/v1/schedulers").contentType(MediaType.APPLICATION_JSON).exchange(), 400,
				"malformed-request");
	}

	@Test
	void invalidValuesAre422() {
		assertField(register("{\"param_groups\": [], \"scheduler\": {}}"), 422, "param_groups", null);
		assertField(register("{\"param_groups\": [{\"lr\": -0.1}], \"scheduler\": {}}"), 422, "param_groups[0].lr",
				null);
		assertField(register("{\"param_groups\": [{\"lr\": Infinity}], \"scheduler\": {}}"), 422, "param_groups[0].lr",
				null);
		assertField(register("{\"param_groups\": [{\"lr\": 0.1, \"momentum\": NaN}], \"scheduler\": {}}"), 422,
				"param_groups[0].momentum", "must be a finite number");
		assertField(register("{\"id\": \"-bad\", \"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {}}"), 422, "id",
				null);
		assertField(
				register("{\"id\": \"" + "a".repeat(129) + "\", \"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {}}"),
				422, "id", null);
		assertField(register("{\"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {}, \"last_epoch\": -2}"), 422,
				"last_epoch", null);
	}

	@Test
	void tooManyParamGroupsAre422() {
		String groups = String.join(",", java.util.Collections.nCopies(1025, "{\"lr\": 0.1}"));
		assertField(register("{\"param_groups\": [" + groups + "], \"scheduler\": {}}"), 422, "param_groups", null);
	}

	@Test
	void nonFiniteOrHugeSchedulerArgumentsAre422() {
		assertField(register("{\"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {\"type\": \"ExponentialLR\","
				+ " \"gamma\": NaN}}"), 422, "scheduler.gamma", "must be a finite number");
		assertField(
				register("{\"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {\"type\": \"StepLR\","
						+ " \"step_size\": 123456789012345678901234567890}}"),
				422, "scheduler.step_size", "integer out of range");
		assertField(
				register("{\"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {\"type\": \"SequentialLR\","
						+ " \"schedulers\": [{\"type\": \"ExponentialLR\", \"gamma\": -Infinity}]}}"),
				422, "scheduler.schedulers[0].gamma", "must be a finite number");
	}

	@Test
	void oversizedBodyIs413() {
		String body = "{\"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {\"type\": \"LambdaLR\", \"lr_lambda\": \""
				+ "1".repeat(1024 * 1024) + "\"}}";
		assertProblem(register(body), 413, "payload-too-large");
	}

	@Test
	void notJsonIs415AndWrongMethodIs405AndUnacceptableIs406() {
		assertProblem(
				this.mvc.post().uri("/api/v1/schedulers").contentType(MediaType.TEXT_PLAIN).content("x").exchange(),
				415, "unsupported-media-type");
		MvcTestResult wrongMethod = this.mvc.put().uri("/api/v1/schedulers").exchange();
		assertProblem(wrongMethod, 405, "method-not-allowed");
		assertThat(wrongMethod.getResponse().getHeader("Allow")).contains("GET").contains("POST");
		assertThat(this.mvc.get().uri("/api/v1/schedulers/run-1").accept(MediaType.TEXT_HTML).exchange())
			.hasStatus(HttpStatus.NOT_ACCEPTABLE);
	}

	@Test
	void unknownPathIs404() {
		assertProblem(this.mvc.get().uri("/api/v1/nothing").exchange(), 404, "not-found");
	}

	@Test
	void getAnswersTheResource() {
		given(this.schedulers.get("run-1")).willReturn(details());
		given(this.amendments.amendments("run-1"))
			.willReturn(new Amendments("{\"type\":\"ExponentialLR\",\"gamma\":0.9}", List.of()));
		MvcTestResult result = this.mvc.get().uri("/api/v1/schedulers/run-1").exchange();
		assertThat(result).hasStatusOk().bodyJson().extractingPath("$.scheduler.step_size").isEqualTo(30);
		assertThat(result).bodyJson().extractingPath("$.scheduler_in_force.type").isEqualTo("ExponentialLR");
		assertThat(result).bodyJson().extractingPath("$.amendments").isEqualTo(List.of());
	}

	@Test
	void unknownIdIs404() {
		given(this.schedulers.get("nope")).willThrow(new SchedulerNotFoundException("nope"));
		assertProblem(this.mvc.get().uri("/api/v1/schedulers/nope").exchange(), 404, "scheduler-not-found");
	}

	@Test
	void listIsPaged() {
		given(this.schedulers.list(IdScope.EVERYTHING, SchedulerListQuery.newestFirst(2, 5)))
			.willReturn(new SchedulerPage(List.of(listed()), 2, 5, 11, 3));
		assertThat(this.mvc.get().uri("/api/v1/schedulers?page=2&size=5").exchange()).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("{\"page\": 2, \"size\": 5, \"total_items\": 11, \"total_pages\": 3,"
					+ " \"items\": [{\"id\": \"run-1\"}]}");
	}

	@Test
	void listParametersAreValidated() {
		assertField(this.mvc.get().uri("/api/v1/schedulers?size=501").exchange(), 422, "size", null);
		assertField(this.mvc.get().uri("/api/v1/schedulers?size=0").exchange(), 422, "size", null);
		assertField(this.mvc.get().uri("/api/v1/schedulers?page=-1").exchange(), 422, "page", null);
		assertField(this.mvc.get().uri("/api/v1/schedulers?page=x").exchange(), 400, "page", "has the wrong type");
		assertField(this.mvc.get().uri("/api/v1/schedulers?page=2147483648").exchange(), 400, "page",
				"has the wrong type");
	}

	@Test
	void aPageWhoseOffsetOverflowsIsRefusedNamingPage() {
		MvcTestResult result = this.mvc.get().uri("/api/v1/schedulers?page=4294968&size=500").exchange();
		assertProblem(result, 400, "malformed-request");
		assertField(result, 400, "page",
				"must be at most 4294967 with size 500 (page x size is the offset, at most 2147483647)");
		assertField(this.mvc.get().uri("/api/v1/schedulers?page=2147483647&size=2").exchange(), 400, "page", null);
		given(this.schedulers.list(IdScope.EVERYTHING, SchedulerListQuery.newestFirst(4294967, 500)))
			.willReturn(new SchedulerPage(List.of(), 4294967, 500, 0, 0));
		assertThat(this.mvc.get().uri("/api/v1/schedulers?page=4294967&size=500").exchange()).hasStatusOk();
	}

	@Test
	void deleteAnswers204() {
		assertThat(this.mvc.delete().uri("/api/v1/schedulers/run-1").exchange()).hasStatus(HttpStatus.NO_CONTENT);
		then(this.schedulers).should().delete("run-1");
	}

	@Test
	void deleteOfAnUnknownIdIs404() {
		willThrow(new SchedulerNotFoundException("nope")).given(this.schedulers).delete("nope");
		assertProblem(this.mvc.delete().uri("/api/v1/schedulers/nope").exchange(), 404, "scheduler-not-found");
	}

	@Test
	void unexpectedFailureIs500WithoutInternals() {
		given(this.schedulers.get("run-1")).willThrow(new IllegalStateException("secret SQL: select * from scheduler"));
		MvcTestResult result = this.mvc.get().uri("/api/v1/schedulers/run-1").exchange();
		assertProblem(result, 500, "internal-error");
		assertThat(result).bodyText().doesNotContain("secret").doesNotContain("IllegalStateException");
	}

	@Test
	void busyDatabaseIs503WithRetryAfter() {
		given(this.schedulers.get("run-1")).willThrow(new CannotAcquireLockException("lock timeout on scheduler"));
		MvcTestResult result = this.mvc.get().uri("/api/v1/schedulers/run-1").exchange();
		assertProblem(result, 503, "service-unavailable");
		assertThat(result).hasHeader("Retry-After", "1");
		assertThat(result).bodyText().doesNotContain("lock timeout");
	}

	private MvcTestResult register(String body) {
		return json(this.mvc.post().uri("/api/v1/schedulers"), body);
	}

	static SchedulerPage.Listed listed() {
		return new SchedulerPage.Listed(details(), new SchedulerSummary(List.of(0.1), null, null));
	}

	static SchedulerDetails details() {
		Instant at = Instant.parse("2026-01-02T03:04:05Z");
		return new SchedulerDetails(new SchedulerPosition("run-1", 0, "[{\"lr\":0.1,\"momentum\":0.9}]"),
				"{\"type\":\"StepLR\",\"step_size\":30,\"gamma\":0.1}", "[{\"lr\":0.1,\"momentum\":0.9}]", at, at);
	}

}
