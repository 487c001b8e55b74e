package dev.stepwise.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.stepwise.OnEveryDatabase;
import dev.stepwise.schedule.LrFinderGolden;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.client.RestTestClient;

import static dev.stepwise.scheduler.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LR finder through the API on the configured database: a stepwise.LRRangeTest
 * registered and stepped with the golden file's synthetic losses (its first range test,
 * which diverges at epoch 98) answers Lightning's curve and both rules' suggestions as
 * the transcriptions on real torch computed them; it refuses a step once finished; a
 * resume into the test runs it again from there.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@OnEveryDatabase
class LrFinderIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ApiCalls api;

	LrFinderIT(@Autowired RestTestClient client) {
		this.api = new ApiCalls(client);
	}

	@Test
	@SuppressWarnings("unchecked")
	void aRangeTestSteppedWithItsLossesAnswersLightningsCurveAndBothSuggestions() {
		Map<String, Object> test = LrFinderGolden.cases("range_tests").get(0);
		String id = "lr-find-" + UUID.randomUUID();
		json(this.api.post("/schedulers", "{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 0.1}], \"scheduler\": "
				+ JSON.writeValueAsString(test.get("scheduler")) + "}"), 201);
		List<Double> metrics = LrFinderGolden.metrics(test.get("metrics"));
		JsonNode answer = null;
		for (int epoch = 1; epoch <= metrics.size(); epoch++) {
			answer = json(this.api.post("/schedulers/" + id + "/steps",
					"{\"epoch\": " + epoch + ", \"metric\": " + metrics.get(epoch - 1) + "}"), 200);
			// only the step that finishes the test says so
			assertThat(answer.has("finished")).isEqualTo(epoch == metrics.size());
		}
		int finishedAt = metrics.size();
		assertThat(answer.path("finished").asBoolean()).isTrue();
		// every rank posting the last epoch learns it too
		JsonNode replayed = json(this.api.post("/schedulers/" + id + "/steps",
				"{\"epoch\": " + finishedAt + ", \"metric\": " + metrics.get(finishedAt - 1) + "}"), 200);
		assertThat(replayed.path("replayed").asBoolean()).isTrue();
		assertThat(replayed.path("finished").asBoolean()).isTrue();
		JsonNode earlier = json(
				this.api.post("/schedulers/" + id + "/steps", "{\"epoch\": 3, \"metric\": " + metrics.get(2) + "}"),
				200);
		assertThat(earlier.has("finished")).isFalse();
		// finished: the lr is back at start_lr and the next step is refused
		JsonNode lr = json(this.api.get("/schedulers/" + id + "/lr"), 200);
		assertThat(lr.path("param_groups").path(0).path("lr").asDouble()).isEqualTo(1e-6);
		JsonNode refused = json(this.api.post("/schedulers/" + id + "/steps", "{\"metric\": 1.0}"), 409);
		assertThat(refused.path("type").asString()).endsWith("/step-refused");
		assertThat(refused.path("detail").asString()).contains("the range test finished at epoch " + finishedAt);

		JsonNode finder = json(this.api.get("/schedulers/" + id + "/lr-finder"), 200);
		Map<String, Object> curve = (Map<String, Object>) test.get("curve");
		assertThat(finder.path("type").asString()).isEqualTo("stepwise.LRRangeTest");
		assertThat(finder.path("finished").asBoolean()).isTrue();
		assertThat(finder.path("finished_at").asLong()).isEqualTo(finishedAt);
		assertThat(finder.path("points").asInt()).isEqualTo(finishedAt);
		assertThat(finder.path("truncated").asBoolean()).isFalse();
		assertThat(doubles(finder.path("curve").path("lr"))).containsExactly(LrFinderGolden.numbers(curve.get("lr")));
		assertThat(doubles(finder.path("curve").path("loss")))
			.containsExactly(LrFinderGolden.numbers(curve.get("loss")));
		Map<String, Object> suggestions = (Map<String, Object>) test.get("suggestions");
		int steepest = ((Number) ((List<Map<String, Object>>) suggestions.get("steepest")).get(0).get("index"))
			.intValue();
		int valley = ((Number) ((Map<String, Object>) suggestions.get("valley")).get("index")).intValue();
		double[] lrs = LrFinderGolden.numbers(curve.get("lr"));
		assertThat(finder.path("suggestions").path("steepest").path("index").asInt()).isEqualTo(steepest);
		assertThat(finder.path("suggestions").path("steepest").path("lr").asDouble()).isEqualTo(lrs[steepest]);
		assertThat(finder.path("suggestions").path("valley").path("index").asInt()).isEqualTo(valley);
		assertThat(finder.path("suggestions").path("valley").path("lr").asDouble()).isEqualTo(lrs[valley]);

		// other skips, as Lightning's suggestion(skip_begin, skip_end)
		JsonNode skipped = json(this.api.get("/schedulers/" + id + "/lr-finder?skip_begin=3&skip_end=4"), 200);
		assertThat(skipped.path("suggestions").path("steepest").path("index").asInt()).isEqualTo(
				((Number) ((List<Map<String, Object>>) suggestions.get("steepest")).get(2).get("index")).intValue());

		// resumed into the test, it runs again from there, and the curve ends there
		json(this.api.post("/schedulers/" + id + "/resume", "{\"last_epoch\": 50}"), 200);
		JsonNode resumed = json(this.api.get("/schedulers/" + id + "/lr-finder"), 200);
		assertThat(resumed.path("finished").asBoolean()).isFalse();
		assertThat(resumed.path("finished_at").isNull()).isTrue();
		assertThat(resumed.path("points").asInt()).isEqualTo(50);
		json(this.api.post("/schedulers/" + id + "/steps", "{\"epoch\": 51, \"metric\": 1.0}"), 200);
	}

	@Test
	void anyTypeWithMetricsHasACurveAndTooFewPointsHaveNoSuggestion() {
		String id = "lr-find-plateau-" + UUID.randomUUID();
		json(this.api.post("/schedulers", "{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 0.1}],"
				+ " \"scheduler\": {\"type\": \"ReduceLROnPlateau\"}}"), 201);
		for (int epoch = 1; epoch <= 5; epoch++) {
			json(this.api.post("/schedulers/" + id + "/steps", "{\"epoch\": " + epoch + ", \"metric\": 1.0}"), 200);
		}
		JsonNode finder = json(this.api.get("/schedulers/" + id + "/lr-finder"), 200);
		assertThat(finder.path("points").asInt()).isEqualTo(5);
		assertThat(finder.path("beta").asDouble()).isEqualTo(0.98);
		assertThat(finder.path("finished").isNull()).isTrue();
		assertThat(doubles(finder.path("curve").path("lr"))).containsOnly(0.1);
		assertThat(finder.path("suggestions").path("steepest").path("lr").isNull()).isTrue();
		assertThat(finder.path("suggestions").path("steepest").path("reason").asString())
			.contains("fewer than 2 finite points");
		assertThat(finder.path("suggestions").path("valley").path("lr").isNull()).isTrue();

		JsonNode missing = json(this.api.get("/schedulers/nobody-" + UUID.randomUUID() + "/lr-finder"), 404);
		assertThat(missing.path("type").asString()).endsWith("/scheduler-not-found");
	}

	private static double[] doubles(JsonNode array) {
		List<Double> values = new ArrayList<>();
		array
			.forEach((value) -> values.add(value.isString() ? Double.parseDouble(value.asString()) : value.asDouble()));
		return values.stream().mapToDouble(Double::doubleValue).toArray();
	}

}
