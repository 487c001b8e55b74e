package dev.stepwise.scheduler;

import java.util.UUID;

import dev.stepwise.scheduler.HttpApi.Answer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed and extreme inputs through the whole stack (web, engine, database) get problem
 * responses with the expected status, never a 500.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileInputIT {

	private static final String GROUP = "[{\"lr\": 0.1}]";

	@LocalServerPort
	private int port;

	private HttpApi api;

	@BeforeEach
	void connect() {
		this.api = new HttpApi(this.port);
	}

	@Test
	void extremeScheduleArgumentsAreProblemsNotServerErrors() {
		assertRegistration("{\"type\": \"OneCycleLR\", \"max_lr\": 0.1, \"epochs\": 10000000000,"
				+ " \"steps_per_epoch\": 10000000000}", 422);
		assertRegistration("{\"type\": \"MultiStepLR\", \"milestones\": [99999999999999999999999]}", 422);
		assertRegistration("{\"type\": \"LambdaLR\", \"lr_lambda\": \"10**10**10\"}", 422);
		assertRegistration("{\"type\": \"StepLR\", \"step_size\": 1e300}", 422);
		assertRegistration("{\"type\": \"StepLR\", \"step_size\": [1]}", 400);
		assertRegistration("{\"type\": null}", 400);
		assertThat(this.api.post("/schedulers", "{\"param_groups\": " + GROUP
				+ ", \"scheduler\": {\"type\": \"LambdaLR\", \"lr_lambda\": \"epoch ** epoch\"}, \"last_epoch\": 400}")
			.status()).isEqualTo(422);
		assertThat(this.api.post("/schedulers", "{\"param_groups\": [{\"lr\": 1e400}],"
				+ " \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 1}}").status()).isEqualTo(422);
	}

	@Test
	void extremeStepsAndStatesAreProblemsNotServerErrors() {
		String id = "hostile-" + UUID.randomUUID();
		assertThat(this.api.post("/schedulers", "{\"id\": \"" + id + "\", \"param_groups\": " + GROUP
				+ ", \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2}}").status()).isEqualTo(201);
		String steps = "/schedulers/" + id + "/steps";
		assertThat(this.api.post(steps, "{\"epoch\": 1e300}").status()).isEqualTo(422);
		assertThat(this.api.post(steps, "{\"epoch\": 99999999999999999999999}").status()).isEqualTo(422);
		assertThat(this.api.post(steps, "{\"epoch\": 1.5}").status()).isEqualTo(422);
		assertThat(this.api.post(steps, "{\"metric\": [1]}").status()).isEqualTo(400);
		assertThat(this.api.post(steps, "{\"metric\": NaN}").status()).isEqualTo(200);
		String state = "/schedulers/" + id + "/state";
		assertThat(this.api.put(state, "{\"type\": \"StepLR\", \"last_epoch\": 1000000000000000000000000000000,"
				+ " \"_step_count\": 6, \"base_lrs\": [0.1], \"_last_lr\": [0.1], \"param_groups\": [{\"lr\": 0.1}]}")
			.status()).isEqualTo(422);
		assertThat(this.api.put(state, "[]").status()).isEqualTo(400);
		assertThat(this.api.get("/schedulers?page=99999999999").status()).isEqualTo(400);
		assertThat(this.api.post("/previews", "{\"param_groups\": " + GROUP
				+ ", \"scheduler\": {\"type\": \"OneCycleLR\", \"max_lr\": 0.1, \"total_steps\": 5}, \"steps\": 10}")
			.status()).isEqualTo(409);
	}

	private void assertRegistration(String scheduler, int status) {
		Answer answer = this.api.post("/schedulers", "{\"param_groups\": " + GROUP + ", \"scheduler\": " + scheduler + "}");
		assertThat(answer.status()).as("%s -> %s", scheduler, answer.body()).isEqualTo(status);
	}

}
