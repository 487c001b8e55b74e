package dev.stepwise.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.stepwise.OnEveryDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scheduler's life over a real port: register, step, replay, resume, state export and
 * restore, history, deletion; and a registration race between ranks.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@OnEveryDatabase
class SchedulerLifecycleIT {

	private static final String API = "/api/v1";

	@Autowired
	private RestTestClient client;

	@Test
	void registerStepReplayResumeAndRestoreState() {
		String id = "lifecycle-" + UUID.randomUUID();
		String body = "{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 1.0, \"momentum\": 0.9}],"
				+ " \"scheduler\": {\"type\": \"ReduceLROnPlateau\", \"patience\": 1, \"cooldown\": 1}}";
		JsonNode registered = json(post("/schedulers", body), 201);
		assertThat(registered.path("scheduler").path("factor").asDouble()).isEqualTo(0.1);
		post("/schedulers", body).expectStatus().isEqualTo(200);
		double[] metrics = { 1.0, 1.0, 1.0, 0.5, Double.NaN, 0.5, 0.5, 0.5 };
		List<Double> lrs = new ArrayList<>();
		for (int epoch = 1; epoch <= metrics.length; epoch++) {
			JsonNode step = json(step(id, epoch, metrics[epoch - 1]), 200);
			assertThat(step.path("replayed").asBoolean()).isFalse();
			assertThat(lastEpoch(step)).isEqualTo(epoch);
			lrs.add(lr(step, 0));
		}
		assertThat(lrs).containsExactly(1.0, 1.0, 0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002,
				0.010000000000000002);

		JsonNode replay = json(step(id, 3, 1.0), 200);
		assertThat(replay.path("replayed").asBoolean()).isTrue();
		assertThat(lr(replay, 0)).isEqualTo(0.1);
		assertThat(json(step(id, 5, Double.NaN)).path("replayed").asBoolean()).isTrue();
		step(id, 3, 2.0).expectStatus().isEqualTo(409);
		JsonNode gap = json(step(id, 10, 1.0), 409);
		assertThat(gap.path("expected_epoch").asLong()).isEqualTo(9);

		EntityExchangeResult<JsonNode> stateAt8 = get("/schedulers/" + id + "/state").expectStatus()
			.isEqualTo(200)
			.expectBody(JsonNode.class)
			.returnResult();

		// a checkpoint taken after epoch 4: the counters come back too, so the same
		// metrics give the same lrs
		JsonNode resumed = json(post("/schedulers/" + id + "/resume", "{\"last_epoch\": 4}"), 200);
		assertThat(lastEpoch(resumed)).isEqualTo(4);
		assertThat(lr(resumed, 0)).isEqualTo(0.1);
		assertThat(json(get("/schedulers/" + id + "/history")).path("items")).hasSize(5);
		for (int epoch = 5; epoch <= metrics.length; epoch++) {
			assertThat(lr(json(step(id, epoch, metrics[epoch - 1])), 0)).isEqualTo(lrs.get(epoch - 1));
		}
		post("/schedulers/" + id + "/resume", "{\"last_epoch\": 9}").expectStatus().isEqualTo(409);

		// export and restore the state: back at epoch 8 although the scheduler was
		// resumed to 2
		assertThat(lr(json(post("/schedulers/" + id + "/resume", "{\"last_epoch\": 2}")), 0)).isEqualTo(1.0);
		JsonNode restored = json(put("/schedulers/" + id + "/state", text(stateAt8)), 200);
		assertThat(lastEpoch(restored)).isEqualTo(8);
		assertThat(lr(restored, 0)).isEqualTo(0.010000000000000002);
		assertThat(json(get("/schedulers/" + id + "/state"))).isEqualTo(stateAt8.getResponseBody());
		assertThat(lastEpoch(json(get("/schedulers/" + id + "/lr")))).isEqualTo(8);
		assertThat(json(get("/schedulers/" + id + "/history")).path("items"))
			.extracting((item) -> item.path("epoch").asLong())
			.containsExactly(0L, 1L, 2L, 8L);

		this.client.delete().uri(API + "/schedulers/" + id).exchange().expectStatus().isEqualTo(204);
		get("/schedulers/" + id + "/lr").expectStatus().isEqualTo(404);
		get("/schedulers/" + id + "/history").expectStatus().isEqualTo(404);
	}

	@Test
	void lrCarriesAnETagThatChangesWithEveryStep() {
		String id = "etag-" + UUID.randomUUID();
		register(id, "{\"type\": \"StepLR\", \"step_size\": 2}");
		String first = get("/schedulers/" + id + "/lr").returnResult().getResponseHeaders().getETag();
		assertThat(first).isNotNull();
		getIfNoneMatch("/schedulers/" + id + "/lr", first).expectStatus().isEqualTo(304);
		post("/schedulers/" + id + "/steps", "{}");
		ResponseSpec second = getIfNoneMatch("/schedulers/" + id + "/lr", first).expectStatus().isEqualTo(200);
		assertThat(second.returnResult().getResponseHeaders().getETag()).isNotEqualTo(first);
	}

	@Test
	void fractionalEpochsOfWarmRestartsAreRecordedAndReplayed() {
		String id = "cawr-" + UUID.randomUUID();
		register(id, "{\"type\": \"CosineAnnealingWarmRestarts\", \"T_0\": 4}");
		assertThat(lr(json(post("/schedulers/" + id + "/steps", "{\"epoch\": 0.5}")), 0)).isCloseTo(0.96194,
				org.assertj.core.data.Offset.offset(1e-5));
		JsonNode atOne = json(post("/schedulers/" + id + "/steps", "{\"epoch\": 1.5}"));
		assertThat(lastEpoch(atOne)).isEqualTo(1);
		assertThat(lr(atOne, 0)).isCloseTo(0.691342, org.assertj.core.data.Offset.offset(1e-6));
		JsonNode replay = json(post("/schedulers/" + id + "/steps", "{\"epoch\": 0.5}"));
		assertThat(replay.path("replayed").asBoolean()).isTrue();
		post("/schedulers/" + id + "/steps", "{\"epoch\": 1.25}").expectStatus().isEqualTo(409);
		assertThat(json(get("/schedulers/" + id + "/history")).path("items"))
			.extracting((item) -> item.path("epoch").asDouble())
			.containsExactly(0.0, 0.5, 1.5);
		String other = "step-" + UUID.randomUUID();
		register(other, "{\"type\": \"StepLR\", \"step_size\": 2}");
		post("/schedulers/" + other + "/steps", "{\"epoch\": 0.5}").expectStatus().isEqualTo(422);
	}

	@Test
	void ranksRegisteringTheSameIdAtOnceGetOne201AndOtherwise200() throws Exception {
		String id = "race-" + UUID.randomUUID();
		String body = "{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 0.1}],"
				+ " \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 3}}";
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
			List<Callable<Integer>> ranks = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				ranks.add(() -> post("/schedulers", body).returnResult().getStatus().value());
			}
			List<Integer> statuses = new ArrayList<>();
			for (Future<Integer> status : pool.invokeAll(ranks)) {
				statuses.add(status.get());
			}
			assertThat(statuses).containsOnly(200, 201).containsOnlyOnce(201);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(json(get("/schedulers/" + id + "/history")).path("items")).hasSize(1);
	}

	@Test
	void fastForwardRegistersAtItsEpoch() {
		String id = "forward-" + UUID.randomUUID();
		JsonNode registered = json(post("/schedulers", "{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 1.0}],"
				+ " \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 5, \"gamma\": 0.5}, \"last_epoch\": 12}"),
				201);
		assertThat(lastEpoch(registered)).isEqualTo(12);
		assertThat(lastEpoch(json(post("/schedulers/" + id + "/steps", "{\"epoch\": 13}")))).isEqualTo(13);
		assertThat(json(get("/schedulers/" + id + "/history")).path("items"))
			.extracting((item) -> item.path("epoch").asLong())
			.containsExactly(12L, 13L);
	}

	@Test
	void previewStoresNothing() {
		JsonNode preview = json(
				post("/previews", "{\"param_groups\": [{\"lr\": 1.0}],"
						+ " \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2, \"gamma\": 0.5}, \"steps\": 4}"),
				200);
		assertThat(preview.path("states"))
			.extracting((state) -> state.path("param_groups").path(0).path("lr").asDouble())
			.containsExactly(1.0, 1.0, 0.5, 0.5, 0.25);
		String groups = String.join(",", java.util.Collections.nCopies(20, "{\"lr\": 1.0}"));
		post("/previews",
				"{\"param_groups\": [" + groups + "],"
						+ " \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2}, \"steps\": 100000}")
			.expectStatus()
			.isEqualTo(422);
	}

	private void register(String id, String scheduler) {
		post("/schedulers",
				"{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 1.0}], \"scheduler\": " + scheduler + "}")
			.expectStatus()
			.isEqualTo(201);
	}

	private ResponseSpec step(String id, int epoch, double metric) {
		String value = Double.isNaN(metric) ? "NaN" : Double.toString(metric);
		return post("/schedulers/" + id + "/steps", "{\"epoch\": " + epoch + ", \"metric\": " + value + "}");
	}

	private ResponseSpec get(String path) {
		return this.client.get().uri(API + path).exchange();
	}

	private ResponseSpec getIfNoneMatch(String path, String etag) {
		return this.client.get().uri(API + path).ifNoneMatch(etag).exchange();
	}

	private ResponseSpec post(String path, String json) {
		return this.client.post().uri(API + path).contentType(MediaType.APPLICATION_JSON).body(json).exchange();
	}

	private ResponseSpec put(String path, String json) {
		return this.client.put().uri(API + path).contentType(MediaType.APPLICATION_JSON).body(json).exchange();
	}

	/** The body of an answer with the given status, as JSON. */
	private static JsonNode json(ResponseSpec response, int status) {
		return json(response.expectStatus().isEqualTo(status));
	}

	/** The body of an answer as JSON (an answer without one fails the test). */
	private static JsonNode json(ResponseSpec response) {
		JsonNode json = response.expectBody(JsonNode.class).returnResult().getResponseBody();
		assertThat(json).as("body of the answer").isNotNull();
		return json;
	}

	private static String text(EntityExchangeResult<?> result) {
		return new String(result.getResponseBodyContent(), java.nio.charset.StandardCharsets.UTF_8);
	}

	private static double lr(JsonNode answer, int group) {
		return answer.path("param_groups").path(group).path("lr").asDouble();
	}

	private static long lastEpoch(JsonNode answer) {
		return answer.path("last_epoch").asLong();
	}

}
