package dev.stepwise.scheduler;
import java.nio.file.Path;
import java.util.UUID;

import dev.stepwise.StepwiseApplication;
import dev.stepwise.scheduler.HttpApi.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A restarted service still has every scheduler: close the application, start a new one on the same
 * H2 file, and the scheduler is intact. H2 only: with {@code STEPWISE_DATABASE_URL} set the database
 * outlives the service anyway, and this test is skipped.
 */
class RestartDurabilityIT {

	@TempDir
	private Path dataDir;

	@Test
	void schedulerSurvivesARestart() {
		assumeTrue(System.getenv("STEPWISE_DATABASE_URL") == null,
				"restart durability is about the default H2 file; STEPWISE_DATABASE_URL points elsewhere");
		String id = "durable-" + UUID.randomUUID();
		String state;
		try (ConfigurableApplicationContext first = start()) {
			HttpApi api = api(first);
			assertThat(api.post("/schedulers", "{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 1.0}],"
					+ " \"scheduler\": {\"type\": \"ReduceLROnPlateau\", \"patience\": 0}}").status()).isEqualTo(201);
			for (int epoch = 1; epoch <= 5; epoch++) {
				assertThat(api.post("/schedulers/" + id + "/steps", "{\"metric\": 1.0}").status()).isEqualTo(200);
			}
			state = api.get("/schedulers/" + id + "/state").body();
		}
		try (ConfigurableApplicationContext second = start()) {
			HttpApi api = api(second);
			Answer lr = api.get("/schedulers/" + id + "/lr");
			assertThat(lr.status()).isEqualTo(200);
			assertThat(lr.lastEpoch()).isEqualTo(5);
			assertThat(lr.lr(0)).isEqualTo(1.0000000000000003E-4);
			assertThat(api.get("/schedulers/" + id + "/state").body()).isEqualTo(state);
			assertThat(api.get("/schedulers/" + id + "/history").body("items")).hasSize(6);
			Answer replay = api.post("/schedulers/" + id + "/steps", "{\"epoch\": 5, \"metric\": 1.0}");
			assertThat(replay.body("replayed").asBoolean()).isTrue();
			Answer next = api.post("/schedulers/" + id + "/steps", "{\"metric\": 1.0}");
			assertThat(next.lastEpoch()).isEqualTo(6);
			assertThat(next.lr(0)).isEqualTo(1.0000000000000004E-5);
		}
	}

	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(StepwiseApplication.class).run("--server.port=0",
				"--stepwise.data-dir=" + this.dataDir.toAbsolutePath());
	}

	private static HttpApi api(ConfigurableApplicationContext context) {
		return new HttpApi(Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port")));
	}

}
