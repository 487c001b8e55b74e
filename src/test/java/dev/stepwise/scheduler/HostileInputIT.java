package dev.stepwise.scheduler;

import java.util.UUID;

import dev.stepwise.OnEveryDatabase;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.StatusAssertions;

/**
 * Malformed and extreme inputs through the whole stack (web, engine, database) get
 * problem responses with the expected status, never a 500.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@OnEveryDatabase
class HostileInputIT {

	private static final String GROUP = "[{\"lr\": 0.1}]";

	private static final String API = "/api/v1";

	@Autowired
	private RestTestClient client;

	@Test
	void extremeScheduleArgumentsAreProblemsNotServerErrors() {
		assertRegistration("{\"type\": \"OneCycleLR\", \"max_lr\": 0.1, \"epochs\": 10000000000,"
				+ " \"steps_per_epoch\": 10000000000}", 422);
		assertRegistration("{\"type\": \"MultiStepLR\", \"milestones\": [99999999999999999999999]}", 422);
		assertRegistration("{\"type\": \"LambdaLR\", \"lr_lambda\": \"10**10**10\"}", 422);
		assertRegistration("{\"type\": \"LambdaLR\", \"lr_lambda\": \"1e308 * 10\"}", 422);
		assertRegistration("{\"type\": \"StepLR\", \"step_size\": 1e300}", 422);
		assertRegistration("{\"type\": \"StepLR\", \"step_size\": [1]}", 400);
		assertRegistration("{\"type\": null}", 400);
		send(HttpMethod.POST, "/schedulers", "{\"param_groups\": " + GROUP
				+ ", \"scheduler\": {\"type\": \"LambdaLR\", \"lr_lambda\": \"epoch ** epoch\"}, \"last_epoch\": 400}")
			.isEqualTo(422);
		send(HttpMethod.POST, "/schedulers",
				"{\"param_groups\": [{\"lr\": 1e400}]," + " \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 1}}")
			.isEqualTo(422);
	}

	@Test
	void extremeStepsAndStatesAreProblemsNotServerErrors() {
		String id = registerStepLr(2);
		String steps = "/schedulers/" + id + "/steps";
		send(HttpMethod.POST, steps, "{\"epoch\": 1e300}").isEqualTo(422);
		send(HttpMethod.POST, steps, "{\"epoch\": 99999999999999999999999}").isEqualTo(422);
		send(HttpMethod.POST, steps, "{\"epoch\": 1.5}").isEqualTo(422);
		send(HttpMethod.POST, steps, "{\"metric\": [1]}").isEqualTo(400);
		send(HttpMethod.POST, steps, "{\"metric\": NaN}").isEqualTo(200);
		String state = "/schedulers/" + id + "/state";
		send(HttpMethod.PUT, state, "{\"type\": \"StepLR\", \"last_epoch\": 1000000000000000000000000000000,"
				+ " \"_step_count\": 6, \"base_lrs\": [0.1], \"_last_lr\": [0.1], \"param_groups\": [{\"lr\": 0.1}]}")
			.isEqualTo(422);
		send(HttpMethod.PUT, state, "[]").isEqualTo(400);
		this.client.get().uri(API + "/schedulers?page=99999999999").exchange().expectStatus().isEqualTo(400);
		send(HttpMethod.POST, "/previews", "{\"param_groups\": " + GROUP
				+ ", \"scheduler\": {\"type\": \"OneCycleLR\", \"max_lr\": 0.1, \"total_steps\": 5}, \"steps\": 10}")
			.isEqualTo(409);
	}

	@Test
	void restoredStatesAreValidatedAsRegistrationsAre() {
		String id = registerStepLr(3);
		String state = "/schedulers/" + id + "/state";
		String position = "\"base_lrs\": [0.1], \"_step_count\": 1, \"_last_lr\": [0.1],"
				+ " \"param_groups\": [{\"lr\": 0.1, \"initial_lr\": 0.1}]";
		assertFirstField(HttpMethod.PUT, state,
				"{\"type\": \"StepLR\", \"last_epoch\": 9223372036854775807, " + position + "}", 422,
				"state.last_epoch");
		assertFirstField(HttpMethod.PUT, state,
				"{\"last_epoch\": 2, \"step_size\": 5, \"gamma\": 0.1, " + position + "}", 422, "state.step_size");
		send(HttpMethod.PUT, state, "{\"last_epoch\": 2, \"step_size\": 3.0, \"gamma\": 0.1, " + position + "}")
			.isEqualTo(200);
		send(HttpMethod.POST, "/schedulers/" + id + "/steps", "{}").isEqualTo(200);
		assertFirstField(HttpMethod.GET, "/schedulers?page=4294968&size=500", null, 400, "page");
	}

	/** Registers a StepLR with a new id, which it returns. */
	private String registerStepLr(int stepSize) {
		String id = "hostile-" + UUID.randomUUID();
		send(HttpMethod.POST, "/schedulers", "{\"id\": \"" + id + "\", \"param_groups\": " + GROUP
				+ ", \"scheduler\": {\"type\": \"StepLR\", \"step_size\": " + stepSize + "}}")
			.isEqualTo(201);
		return id;
	}

	private void assertFirstField(HttpMethod method, String path, @Nullable String json, int status, String field) {
		RestTestClient.RequestBodySpec request = this.client.method(method).uri(API + path);
		if (json != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(json);
		}
		request.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo(field);
	}

	/**
	 * Registers a scheduler with the given spec; the answer must have the given status.
	 */
	private void assertRegistration(String scheduler, int status) {
		send(HttpMethod.POST, "/schedulers", "{\"param_groups\": " + GROUP + ", \"scheduler\": " + scheduler + "}")
			.isEqualTo(status);
	}

	/**
	 * Sends a JSON text as it is; the status assertions of the answer report the whole
	 * exchange (request and answer bodies included) when they fail.
	 */
	private StatusAssertions send(HttpMethod method, String path, String json) {
		return this.client.method(method)
			.uri(API + path)
			.contentType(MediaType.APPLICATION_JSON)
			.body(json)
			.exchange()
			.expectStatus();
	}

}
