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
 * Many steps in one request ({@code count}) and schedules in tokens ({@code unit},
 * {@code consumed}) over a real port, on every database: k records written atomically,
 * retries answered from the history, limits and bad input as problems naming the field,
 * the position stored, shown and restored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@OnEveryDatabase
class BatchStepsAndUnitsIT {

	/** StepLR(step_size=2, gamma=0.5) on lr 1.0: epoch e has lr 0.5^(e // 2). */
	private static final String STEP_LR = "{\"type\": \"StepLR\", \"step_size\": 2, \"gamma\": 0.5}";

	/**
	 * Hugging Face's linear schedule in tokens: 1,000 tokens of warmup, 10,000 in all.
	 */
	private static final String LINEAR_IN_TOKENS = "{\"type\": \"linear\", \"num_warmup_steps\": 1000,"
			+ " \"num_training_steps\": 10000, \"unit\": \"tokens\"}";

	private final ApiCalls api;

	BatchStepsAndUnitsIT(@Autowired RestTestClient client) {
		this.api = new ApiCalls(client);
	}

	@Test
	void countStepsAreRecordedOneEachAndARetryIsAnsweredFromTheHistory() {
		String id = register(STEP_LR);
		JsonNode stepped = json(steps(id, "{\"epoch\": 4, \"count\": 4, \"metric\": 0.5}"), 200);
		assertThat(stepped.path("last_epoch").asLong()).isEqualTo(4);
		assertThat(lr(stepped)).isEqualTo(0.25);
		assertThat(stepped.path("replayed").asBoolean()).isFalse();
		JsonNode history = json(this.api.get("/schedulers/" + id + "/history"), 200).path("items");
		assertThat(history).extracting((item) -> item.path("epoch").asLong()).containsExactly(0L, 1L, 2L, 3L, 4L);
		assertThat(history).extracting(BatchStepsAndUnitsIT::lr).containsExactly(1.0, 1.0, 0.5, 0.5, 0.25);
		assertThat(history).extracting((item) -> item.path("metric").asDouble(Double.NaN))
			.containsExactly(Double.NaN, 0.5, 0.5, 0.5, 0.5);

		JsonNode retried = json(steps(id, "{\"epoch\": 4, \"count\": 4, \"metric\": 0.5}"), 200);
		assertThat(retried.path("replayed").asBoolean()).isTrue();
		assertThat(retried.path("last_epoch").asLong()).isEqualTo(4);
		assertThat(json(this.api.get("/schedulers/" + id + "/history"), 200).path("items")).hasSize(5);

		// without an epoch, count steps follow last_epoch
		JsonNode next = json(steps(id, "{\"count\": 3}"), 200);
		assertThat(next.path("last_epoch").asLong()).isEqualTo(7);
		assertThat(lr(next)).isEqualTo(0.125);
	}

	@Test
	void countStepsOfWhichSomeWereTakenOrThatSkipEpochsAreConflicts() {
		String id = register(STEP_LR);
		json(steps(id, "{\"epoch\": 1}"), 200);
		json(steps(id, "{\"epoch\": 2}"), 200);
		// 4 steps to epoch 4 would start at epoch 1, taken already
		assertThat(json(steps(id, "{\"epoch\": 4, \"count\": 4}"), 409).path("type").asString())
			.endsWith("/epoch-conflict");
		// 2 steps to epoch 5 would start at epoch 4, skipping 3
		assertThat(json(steps(id, "{\"epoch\": 5, \"count\": 2}"), 409).path("expected_epoch").asLong()).isEqualTo(3);
		assertThat(json(this.api.get("/schedulers/" + id + "/lr"), 200).path("last_epoch").asLong()).isEqualTo(2);
	}

	@Test
	void aStepPyTorchRefusesTakesNoneOfTheRequestsSteps() {
		String id = register("{\"type\": \"OneCycleLR\", \"max_lr\": 1.0, \"total_steps\": 5}");
		json(steps(id, "{\"count\": 3}"), 200);
		// OneCycleLR raises at step 6 of 5: the request of steps 4 to 7 takes none
		JsonNode refused = json(steps(id, "{\"epoch\": 7, \"count\": 4}"), 409);
		assertThat(refused.path("type").asString()).endsWith("/step-refused");
		assertThat(json(this.api.get("/schedulers/" + id + "/lr"), 200).path("last_epoch").asLong()).isEqualTo(3);
		assertThat(json(this.api.get("/schedulers/" + id + "/history"), 200).path("items")).hasSize(4);
		assertThat(json(steps(id, "{\"epoch\": 5, \"count\": 2}"), 200).path("last_epoch").asLong()).isEqualTo(5);
	}

	@Test
	void aCountBeyondTheLimitsIsRefusedNamingCount() {
		String id = register(STEP_LR);
		assertField(json(steps(id, "{\"count\": " + (Limits.MAX_STEP_COUNT + 1) + "}"), 422), "count");
		assertField(json(steps(id, "{\"count\": 0}"), 422), "count");
		// 64 groups: 1,025 steps record more than 65,536 values... but 1,000 is the
		// limit,
		// so 1,000 steps of 128 groups do
		String wide = register(STEP_LR, 128);
		JsonNode tooMany = json(steps(wide, "{\"count\": 1000}"), 422);
		assertField(tooMany, "count");
		assertThat(tooMany.path("errors").path(0).path("message").asString()).contains("512 steps");
		assertThat(json(this.api.get("/schedulers/" + wide + "/lr"), 200).path("last_epoch").asLong()).isZero();
	}

	@Test
	void aScheduleInTokensEvaluatesHuggingFacesLambdaAtTheTokensConsumed() {
		String id = register(LINEAR_IN_TOKENS);
		JsonNode registered = json(this.api.get("/schedulers/" + id), 200);
		assertThat(registered.path("scheduler").path("unit").asString()).isEqualTo("tokens");
		assertThat(json(this.api.get("/schedulers/" + id + "/lr"), 200).path("consumed").asLong()).isZero();
		// the batch grows: 300, 300, then 2 x 600 in one request
		assertThat(lr(json(steps(id, "{\"consumed\": 300}"), 200))).isEqualTo(0.3);
		assertThat(lr(json(steps(id, "{\"consumed\": 300}"), 200))).isEqualTo(0.6);
		JsonNode two = json(steps(id, "{\"epoch\": 4, \"count\": 2, \"consumed\": 600}"), 200);
		assertThat(two.path("consumed").asLong()).isEqualTo(1800);
		assertThat(lr(two)).isEqualTo((10_000.0 - 1800) / 9000);
		JsonNode history = json(this.api.get("/schedulers/" + id + "/history"), 200).path("items");
		assertThat(history).extracting((item) -> item.path("consumed").asLong())
			.containsExactly(0L, 300L, 600L, 1200L, 1800L);
		assertThat(lr(history.path(3))).isEqualTo((10_000.0 - 1200) / 9000);
		JsonNode lr = json(this.api.get("/schedulers/" + id + "/lr"), 200);
		assertThat(lr.path("last_epoch").asLong()).isEqualTo(4);
		assertThat(lr.path("consumed").asLong()).isEqualTo(1800);
		JsonNode state = json(this.api.get("/schedulers/" + id + "/state"), 200);
		assertThat(state.path("unit").asString()).isEqualTo("tokens");
		assertThat(state.path("consumed").asLong()).isEqualTo(1800);
	}

	@Test
	void resumeAndAStateDocumentRestoreThePosition() {
		String id = register(LINEAR_IN_TOKENS);
		json(steps(id, "{\"consumed\": 500}"), 200);
		String checkpoint = ApiCalls.text(this.api.get("/schedulers/" + id + "/state"));
		json(steps(id, "{\"consumed\": 2000}"), 200);
		json(steps(id, "{\"consumed\": 2000}"), 200);
		JsonNode resumed = json(this.api.post("/schedulers/" + id + "/resume", "{\"last_epoch\": 2}"), 200);
		assertThat(resumed.path("consumed").asLong()).isEqualTo(2500);
		assertThat(lr(json(steps(id, "{\"consumed\": 100}"), 200))).isEqualTo((10_000.0 - 2600) / 9000);
		JsonNode restored = json(this.api.put("/schedulers/" + id + "/state", checkpoint), 200);
		assertThat(restored.path("consumed").asLong()).isEqualTo(500);
		assertThat(json(this.api.get("/schedulers/" + id + "/lr"), 200).path("consumed").asLong()).isEqualTo(500);
		assertThat(lr(json(steps(id, "{\"consumed\": 100}"), 200))).isEqualTo(0.6);
	}

	@Test
	void badConsumptionsAndUnitsAreProblemsNamingTheField() {
		String tokens = register(LINEAR_IN_TOKENS);
		assertField(json(steps(tokens, "{}"), 400), "consumed");
		assertField(json(steps(tokens, "{\"consumed\": 0}"), 422), "consumed");
		assertField(json(steps(tokens, "{\"consumed\": -5}"), 422), "consumed");
		assertField(json(steps(tokens, "{\"consumed\": 1.5}"), 400), "consumed");
		assertField(json(steps(tokens, "{\"consumed\": 9007199254740993}"), 422), "consumed");
		assertThat(json(this.api.get("/schedulers/" + tokens + "/lr"), 200).path("consumed").asLong()).isZero();
		assertField(json(steps(register(STEP_LR), "{\"consumed\": 5}"), 422), "consumed");
		JsonNode noClosedForm = json(this.api.post("/schedulers", "{\"param_groups\": [{\"lr\": 1.0}], \"scheduler\":"
				+ " {\"type\": \"StepLR\", \"step_size\": 2, \"unit\": \"tokens\"}}"), 422);
		assertThat(noClosedForm.path("errors")).extracting((error) -> error.path("field").asString())
			.containsExactly("scheduler.unit", "scheduler.type");
		assertField(json(this.api.post("/schedulers",
				"{\"param_groups\": [{\"lr\": 1.0}], \"scheduler\": {\"type\": \"constant\", \"unit\": \"bytes\"}}"),
				422), "scheduler.unit");
	}

	@Test
	void aPreviewTakesAConsumptionPerStep() {
		JsonNode preview = json(this.api.post("/previews", "{\"param_groups\": [{\"lr\": 1.0}], \"scheduler\": "
				+ LINEAR_IN_TOKENS + ", \"steps\": 3, \"consumed\": [500, 500, 9000]}"), 200);
		JsonNode states = preview.path("states");
		assertThat(states).extracting((state) -> state.path("consumed").asLong())
			.containsExactly(0L, 500L, 1000L, 10_000L);
		assertThat(states).extracting(BatchStepsAndUnitsIT::lr).containsExactly(0.0, 0.5, 1.0, 0.0);
		JsonNode same = json(this.api.post("/previews", "{\"param_groups\": [{\"lr\": 1.0}], \"scheduler\": "
				+ LINEAR_IN_TOKENS + ", \"steps\": 2, \"consumed\": [250]}"), 200);
		assertThat(same.path("states")).extracting(BatchStepsAndUnitsIT::lr).containsExactly(0.0, 0.25, 0.5);
		assertField(json(
				this.api.post("/previews",
						"{\"param_groups\": [{\"lr\": 1.0}], \"scheduler\": " + LINEAR_IN_TOKENS + ", \"steps\": 3}"),
				422), "consumed");
		assertField(json(this.api.post("/previews",
				"{\"param_groups\": [{\"lr\": 1.0}], \"scheduler\": " + STEP_LR + ", \"steps\": 3, \"consumed\": [1]}"),
				422), "consumed");
	}

	private String register(String scheduler) {
		return register(scheduler, 1);
	}

	private String register(String scheduler, int groups) {
		String id = "units-" + UUID.randomUUID();
		String group = "{\"lr\": 1.0}";
		String paramGroups = String.join(", ", java.util.Collections.nCopies(groups, group));
		json(this.api.post("/schedulers",
				"{\"id\": \"" + id + "\", \"param_groups\": [" + paramGroups + "], \"scheduler\": " + scheduler + "}"),
				201);
		return id;
	}

	private RestTestClient.ResponseSpec steps(String id, String body) {
		return this.api.post("/schedulers/" + id + "/steps", body);
	}

	private static double lr(JsonNode state) {
		return state.path("param_groups").path(0).path("lr").asDouble();
	}

	private static void assertField(JsonNode problem, String field) {
		assertThat(problem.path("errors").path(0).path("field").asString()).as(problem.toString()).isEqualTo(field);
	}

}
