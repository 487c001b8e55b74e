package dev.stepwise.production;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limit of the packaged service on a real Tomcat (H2): a token gets its burst,
 * then 429 problems with {@code Retry-After}; a step with a body, read asynchronously
 * before it reaches the controllers, is counted once and a refused one is not taken;
 * other tokens, requests without one, the health probes and the OpenAPI document carry
 * on; and thousands of tokens at once are each served. One request every 100 s with a
 * burst of 10, so that no token comes back during a test, however slow the machine.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitIT {

	private static final int BURST = 10;

	private static final String ID = "rate-limited";

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private ServiceProcess service;

	@BeforeAll
	void start() throws Exception {
		Path data = Files.createDirectories(ServiceProcess.WORK).resolve("rate-limit-" + System.nanoTime());
		Database h2 = Database.h2();
		this.service = ServiceProcess.start("rate-limit-" + System.nanoTime(), data,
				new Database(h2.name(), h2.postgres(), List.of("--stepwise.rate-limit.requests-per-second=0.01",
						"--stepwise.rate-limit.burst=" + BURST, "--stepwise.rate-limit.max-clients=1000")));
		HttpResponse<String> registered = send("POST", "/api/v1/schedulers", null, "{\"id\": \"" + ID
				+ "\", \"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2}}");
		assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
	}

	@AfterAll
	void stop() throws InterruptedException {
		if (this.service != null) {
			this.service.close();
		}
	}

	@Test
	void aTokenGetsItsBurstThenA429ProblemWithRetryAfter() throws Exception {
		String token = "Bearer reader-" + System.nanoTime();
		for (int i = 0; i < BURST; i++) {
			assertThat(lr(token).statusCode()).as("request %d", i).isEqualTo(200);
		}
		HttpResponse<String> refused = lr(token);
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
		assertThat(retryAfter).isBetween(1L, 100L);
		JsonNode problem = Api.JSON.readTree(refused.body());
		assertThat(problem.path("type").asString()).isEqualTo("https://stepwise.dev/problems/rate-limited");
		assertThat(problem.path("status").asInt()).isEqualTo(429);
		assertThat(problem.path("retry_after").asLong()).isEqualTo(retryAfter);
		assertThat(problem.path("limit").asDouble()).isEqualTo(0.01);
		assertThat(refused.headers().firstValue("Connection")).isNotEqualTo(java.util.Optional.of("close"));
	}

	@Test
	void aStepWithABodyIsCountedOnceAndARefusedOneIsNotTaken() throws Exception {
		String token = "Bearer stepper-" + System.nanoTime();
		long before = currentEpoch();
		for (int i = 1; i <= BURST; i++) {
			HttpResponse<String> step = send("POST", "/api/v1/schedulers/" + ID + "/steps", token, "{}");
			assertThat(step.statusCode()).as("step %d: %s", i, step.body()).isEqualTo(200);
		}
		HttpResponse<String> refused = send("POST", "/api/v1/schedulers/" + ID + "/steps", token, "{}");
		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
		assertThat(currentEpoch()).isEqualTo(before + BURST);
	}

	@Test
	void othersCarryOnWhileOneTokenIsLimited() throws Exception {
		String runaway = "Bearer runaway-" + System.nanoTime();
		for (int i = 0; i <= BURST; i++) {
			lr(runaway);
		}
		assertThat(lr(runaway).statusCode()).isEqualTo(429);
		assertThat(lr("Bearer another-job-" + System.nanoTime()).statusCode()).isEqualTo(200);
		for (int i = 0; i < 3 * BURST; i++) {
			assertThat(lr(null).statusCode()).as("without a token, request %d", i).isEqualTo(200);
		}
		for (String open : List.of("/actuator/health/liveness", "/actuator/health/readiness", "/actuator/health",
				"/v3/api-docs")) {
			for (int i = 0; i <= BURST; i++) {
				HttpResponse<String> answer = send("GET", open, runaway, null);
				assertThat(answer.statusCode()).as(open + " " + i).isEqualTo(200);
			}
		}
	}

	/**
	 * Each of thousands of distinct tokens gets its own full bucket, in a bounded cache.
	 */
	@Test
	void thousandsOfTokensAtOnceAreEachServed() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
			long run = System.nanoTime();
			List<Callable<Integer>> calls = new ArrayList<>();
			for (int i = 0; i < 5000; i++) {
				String token = "Bearer flood-" + run + "-" + i;
				calls.add(() -> lr(token).statusCode());
			}
			List<Integer> statuses = new ArrayList<>();
			for (Future<Integer> answer : pool.invokeAll(calls, 3, TimeUnit.MINUTES)) {
				statuses.add(answer.get());
			}
			assertThat(statuses).hasSize(5000).containsOnly(200);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.service.isAlive()).isTrue();
		assertThat(lr(null).statusCode()).isEqualTo(200);
	}

	private long currentEpoch() throws IOException, InterruptedException {
		return Api.JSON.readTree(lr(null).body()).path("last_epoch").asLong();
	}

	private HttpResponse<String> lr(@Nullable String authorization) throws IOException, InterruptedException {
		return send("GET", "/api/v1/schedulers/" + ID + "/lr", authorization, null);
	}

	private HttpResponse<String> send(String method, String path, @Nullable String authorization, @Nullable String body)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.service.base() + path))
			.timeout(Duration.ofSeconds(30))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
