package dev.stepwise.scheduler;

import java.util.UUID;

import dev.stepwise.OnEveryDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.client.RestTestClient;

import static dev.stepwise.scheduler.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DeepSpeed's schedules over a real port, on every database: listed with the types,
 * registered with a fast-forward, stepped, their state document DeepSpeed's and restored,
 * previewed with OneCycle's momentum, and bad input as problems naming the field.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@OnEveryDatabase
class DeepSpeedSchedulesIT {

	/**
	 * The README's example: linear warmup to 3e-4 over 100 iterations, decay to 0 at
	 * 1000.
	 */
	private static final String WARMUP_DECAY = "{\"type\": \"deepspeed.WarmupDecayLR\", \"total_num_steps\": 1000,"
			+ " \"warmup_max_lr\": 3e-4, \"warmup_num_steps\": 100, \"warmup_type\": \"linear\"}";

	private final ApiCalls api;

	DeepSpeedSchedulesIT(@Autowired RestTestClient client) {
		this.api = new ApiCalls(client);
	}

	@Test
	void theTypesListThemWithDeepSpeedsArguments() {
		JsonNode types = json(this.api.get("/scheduler-types"), 200).path("types");
		assertThat(types).extracting((type) -> type.path("name").asString())
			.contains("deepspeed.LRRangeTest", "deepspeed.OneCycle", "deepspeed.WarmupLR", "deepspeed.WarmupDecayLR",
					"deepspeed.WarmupCosineLR");
	}

	@Test
	void aRegistrationFastForwardsStepsAndRestoresDeepSpeedsStateDocument() {
		String id = "ds-" + UUID.randomUUID();
		JsonNode registered = json(this.api.post("/schedulers",
				"{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 3e-4, \"momentum\": 0.9}], \"scheduler\": "
						+ WARMUP_DECAY + ", \"last_epoch\": 500}"),
				201);
		assertThat(registered.path("last_epoch").asLong()).isEqualTo(500);
		// DeepSpeed at last_batch_iteration 499: 3e-4 * (1000 - 499) / 900
		assertThat(lr(registered)).isEqualTo(0.00016699999999999997);
		assertThat(registered.path("param_groups").path(0).path("momentum").asDouble()).isEqualTo(0.9);
		JsonNode state = json(this.api.get("/schedulers/" + id + "/state"), 200);
		assertThat(state.path("last_batch_iteration").asLong()).isEqualTo(499);
		String checkpoint = state.toString();
		JsonNode stepped = json(this.api.post("/schedulers/" + id + "/steps", "{\"epoch\": 501}"), 200);
		assertThat(lr(stepped)).isEqualTo(0.0 + 3e-4 * ((double) (1000 - 500) / 900));
		json(this.api.put("/schedulers/" + id + "/state", checkpoint), 200);
		assertThat(lr(json(this.api.get("/schedulers/" + id + "/lr"), 200))).isEqualTo(0.00016699999999999997);
	}

	@Test
	void aPreviewOfOneCycleCyclesTheMomentumFromItsLowerBound() {
		JsonNode states = json(this.api
			.post("/previews", "{\"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {\"type\": \"deepspeed.OneCycle\","
					+ " \"cycle_min_lr\": 0.01, \"cycle_max_lr\": 0.1, \"cycle_first_step_size\": 2}, \"steps\": 4}"),
				200)
			.path("states");
		assertThat(states).extracting(DeepSpeedSchedulesIT::lr)
			.containsExactly(0.01, 0.05500000000000001, 0.1, 0.05500000000000001, 0.01);
		assertThat(states).extracting((s) -> s.path("param_groups").path(0).path("momentum").asDouble())
			.containsExactly(0.8, 0.8500000000000001, 0.8, 0.8500000000000001, 0.9);
	}

	@Test
	void badInputIsAProblemNamingTheArgument() {
		assertField(register("{\"type\": \"deepspeed.WarmupLR\", \"warmup_num_steps\": 0}"),
				"scheduler.warmup_num_steps");
		assertField(
				register("{\"type\": \"deepspeed.OneCycle\", \"cycle_min_lr\": 0.01, \"cycle_max_lr\": [0.1, 0.2]}"),
				"scheduler.cycle_max_lr");
		assertField(register("{\"type\": \"SequentialLR\", \"milestones\": [5], \"schedulers\": [{\"type\":"
				+ " \"ConstantLR\"}, " + WARMUP_DECAY + "]}"), "scheduler.schedulers[1]");
	}

	private JsonNode register(String scheduler) {
		JsonNode problem = json(
				this.api.post("/schedulers", "{\"param_groups\": [{\"lr\": 0.1}], \"scheduler\": " + scheduler + "}"),
				422);
		assertThat(problem.path("type").asString()).endsWith("/invalid-argument");
		return problem;
	}

	private static double lr(JsonNode state) {
		return state.path("param_groups").path(0).path("lr").asDouble();
	}

	private static void assertField(JsonNode problem, String field) {
		assertThat(problem.path("errors").path(0).path("field").asString()).as(problem.toString()).isEqualTo(field);
	}

}
