package dev.stepwise.scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.stepwise.scheduler.HttpApi.Answer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scheduler's life over a real port: register, step, replay, resume, state export and restore,
 * history, deletion; and a registration race between ranks.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SchedulerLifecycleIT {

	@LocalServerPort
	private int port;

	private HttpApi api;

	@BeforeEach
	void connect() {
		this.api = new HttpApi(this.port);
	}

	@Test
	void registerStepReplayResumeAndRestoreState() {
		String id = "lifecycle-" + UUID.randomUUID();
		String body = "{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 1.0, \"momentum\": 0.9}],"
				+ " \"scheduler\": {\"type\": \"ReduceLROnPlateau\", \"patience\": 1, \"cooldown\": 1}}";
		Answer registered = this.api.post("/schedulers", body);
		assertThat(registered.status()).isEqualTo(201);
		assertThat(registered.body("scheduler").path("factor").asDouble()).isEqualTo(0.1);
		assertThat(this.api.post("/schedulers", body).status()).isEqualTo(200);
		double[] metrics = { 1.0, 1.0, 1.0, 0.5, Double.NaN, 0.5, 0.5, 0.5 };
		List<Double> lrs = new ArrayList<>();
		for (int epoch = 1; epoch <= metrics.length; epoch++) {
			Answer step = step(id, epoch, metrics[epoch - 1]);
			assertThat(step.status()).isEqualTo(200);
			assertThat(step.body("replayed").asBoolean()).isFalse();
			assertThat(step.lastEpoch()).isEqualTo(epoch);
			lrs.add(step.lr(0));
		}
		assertThat(lrs).containsExactly(1.0, 1.0, 0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002,
				0.010000000000000002);

		Answer replay = step(id, 3, 1.0);
		assertThat(replay.status()).isEqualTo(200);
		assertThat(replay.body("replayed").asBoolean()).isTrue();
		assertThat(replay.lr(0)).isEqualTo(0.1);
		assertThat(step(id, 5, Double.NaN).body("replayed").asBoolean()).isTrue();
		assertThat(step(id, 3, 2.0).status()).isEqualTo(409);
		Answer gap = step(id, 10, 1.0);
		assertThat(gap.status()).isEqualTo(409);
		assertThat(gap.body("expected_epoch").asLong()).isEqualTo(9);

		Answer stateAt8 = this.api.get("/schedulers/" + id + "/state");
		assertThat(stateAt8.status()).isEqualTo(200);

		// a checkpoint taken after epoch 4: the counters come back too, so the same metrics give the same lrs
		Answer resumed = this.api.post("/schedulers/" + id + "/resume", "{\"last_epoch\": 4}");
		assertThat(resumed.status()).isEqualTo(200);
		assertThat(resumed.lastEpoch()).isEqualTo(4);
		assertThat(resumed.lr(0)).isEqualTo(0.1);
		assertThat(this.api.get("/schedulers/" + id + "/history").body("items")).hasSize(5);
		for (int epoch = 5; epoch <= metrics.length; epoch++) {
			assertThat(step(id, epoch, metrics[epoch - 1]).lr(0)).isEqualTo(lrs.get(epoch - 1));
		}
		assertThat(this.api.post("/schedulers/" + id + "/resume", "{\"last_epoch\": 9}").status()).isEqualTo(409);

		// export and restore the state: back at epoch 8 although the scheduler was resumed to 2
		assertThat(this.api.post("/schedulers/" + id + "/resume", "{\"last_epoch\": 2}").lr(0)).isEqualTo(1.0);
		Answer restored = this.api.put("/schedulers/" + id + "/state", stateAt8.body());
		assertThat(restored.status()).isEqualTo(200);
		assertThat(restored.lastEpoch()).isEqualTo(8);
		assertThat(restored.lr(0)).isEqualTo(0.010000000000000002);
		assertThat(this.api.get("/schedulers/" + id + "/state").json()).isEqualTo(stateAt8.json());
		assertThat(this.api.get("/schedulers/" + id + "/lr").lastEpoch()).isEqualTo(8);
		assertThat(this.api.get("/schedulers/" + id + "/history").body("items")).extracting((item) -> item.path("epoch").asLong())
			.containsExactly(0L, 1L, 2L, 8L);

		assertThat(this.api.delete("/schedulers/" + id).status()).isEqualTo(204);
		assertThat(this.api.get("/schedulers/" + id + "/lr").status()).isEqualTo(404);
		assertThat(this.api.get("/schedulers/" + id + "/history").status()).isEqualTo(404);
	}

	@Test
	void lrCarriesAnETagThatChangesWithEveryStep() {
		String id = "etag-" + UUID.randomUUID();
		register(id, "{\"type\": \"StepLR\", \"step_size\": 2}");
		Answer first = this.api.get("/schedulers/" + id + "/lr");
		assertThat(first.etag()).isNotNull();
		assertThat(this.api.get("/schedulers/" + id + "/lr", "If-None-Match", first.etag()).status()).isEqualTo(304);
		this.api.post("/schedulers/" + id + "/steps", "{}");
		Answer second = this.api.get("/schedulers/" + id + "/lr", "If-None-Match", first.etag());
		assertThat(second.status()).isEqualTo(200);
		assertThat(second.etag()).isNotEqualTo(first.etag());
	}

	@Test
	void fractionalEpochsOfWarmRestartsAreRecordedAndReplayed() {
		String id = "cawr-" + UUID.randomUUID();
		register(id, "{\"type\": \"CosineAnnealingWarmRestarts\", \"T_0\": 4}");
		assertThat(this.api.post("/schedulers/" + id + "/steps", "{\"epoch\": 0.5}").lr(0)).isCloseTo(0.96194,
				org.assertj.core.data.Offset.offset(1e-5));
		Answer atOne = this.api.post("/schedulers/" + id + "/steps", "{\"epoch\": 1.5}");
		assertThat(atOne.lastEpoch()).isEqualTo(1);
		assertThat(atOne.lr(0)).isCloseTo(0.691342, org.assertj.core.data.Offset.offset(1e-6));
		Answer replay = this.api.post("/schedulers/" + id + "/steps", "{\"epoch\": 0.5}");
		assertThat(replay.body("replayed").asBoolean()).isTrue();
		assertThat(this.api.post("/schedulers/" + id + "/steps", "{\"epoch\": 1.25}").status()).isEqualTo(409);
		assertThat(this.api.get("/schedulers/" + id + "/history").body("items"))
			.extracting((item) -> item.path("epoch").asDouble())
			.containsExactly(0.0, 0.5, 1.5);
		String other = "step-" + UUID.randomUUID();
		register(other, "{\"type\": \"StepLR\", \"step_size\": 2}");
		assertThat(this.api.post("/schedulers/" + other + "/steps", "{\"epoch\": 0.5}").status()).isEqualTo(422);
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
				ranks.add(() -> this.api.post("/schedulers", body).status());
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
		assertThat(this.api.get("/schedulers/" + id + "/history").body("items")).hasSize(1);
	}

	@Test
	void fastForwardRegistersAtItsEpoch() {
		String id = "forward-" + UUID.randomUUID();
		Answer registered = this.api.post("/schedulers", "{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 1.0}],"
				+ " \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 5, \"gamma\": 0.5}, \"last_epoch\": 12}");
		assertThat(registered.status()).isEqualTo(201);
		assertThat(registered.lastEpoch()).isEqualTo(12);
		assertThat(this.api.post("/schedulers/" + id + "/steps", "{\"epoch\": 13}").lastEpoch()).isEqualTo(13);
		assertThat(this.api.get("/schedulers/" + id + "/history").body("items"))
			.extracting((item) -> item.path("epoch").asLong())
			.containsExactly(12L, 13L);
	}

	@Test
	void previewStoresNothing() {
		Answer preview = this.api.post("/previews", "{\"param_groups\": [{\"lr\": 1.0}],"
				+ " \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2, \"gamma\": 0.5}, \"steps\": 4}");
		assertThat(preview.status()).isEqualTo(200);
		assertThat(preview.body("states")).extracting((state) -> state.path("param_groups").path(0).path("lr").asDouble())
			.containsExactly(1.0, 1.0, 0.5, 0.5, 0.25);
		String groups = String.join(",", java.util.Collections.nCopies(20, "{\"lr\": 1.0}"));
		assertThat(this.api.post("/previews", "{\"param_groups\": [" + groups + "],"
				+ " \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2}, \"steps\": 100000}").status()).isEqualTo(422);
	}

	private void register(String id, String scheduler) {
		Answer answer = this.api.post("/schedulers",
				"{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 1.0}], \"scheduler\": " + scheduler + "}");
		assertThat(answer.status()).isEqualTo(201);
	}

	private Answer step(String id, int epoch, double metric) {
		String value = Double.isNaN(metric) ? "NaN" : Double.toString(metric);
		return this.api.post("/schedulers/" + id + "/steps", "{\"epoch\": " + epoch + ", \"metric\": " + value + "}");
	}

}
