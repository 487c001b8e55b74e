package dev.stepwise.production;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sixteen of the largest registrations at once, round after round, against the jar at the
 * image's heap and at 96 MB, with its default admission: every answer is a 201, a 503
 * {@code service-unavailable} with {@code Retry-After} (no room in the memory budget or
 * the bulkhead now) or a 422 {@code memory-limit-exceeded} naming the estimate and the
 * limit (larger than the whole budget of this heap); never an OutOfMemoryError, and the
 * service answers a GET lr within a second afterwards. {@link OutOfMemoryIT} is the same
 * load with admission configured far above the heap.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class MemoryAdmissionIT {

	/**
	 * 292 lr_lambda expressions of 897 characters, as many as one scheduler may have:
	 * 0.26 MB, about 2 MB compiled.
	 */
	private static final String LAMBDAS = largestLambdaRegistration();

	/** A ChainedScheduler of 15 on 1,024 groups: the largest state. */
	private static final String CHAINED = "{\"param_groups\": [" + "{\"lr\": 0.1},".repeat(1023)
			+ "{\"lr\": 0.1}], \"scheduler\": {\"type\": \"ChainedScheduler\", \"schedulers\": ["
			+ "{\"type\": \"ConstantLR\"},".repeat(14) + "{\"type\": \"ConstantLR\"}]}}";

	/**
	 * Nearly 1 MB of empty objects, the JSON that takes the most memory to parse (about
	 * 20 MB): where it is admitted, it is a 400 for its unknown argument.
	 */
	private static final String OBJECTS = "{\"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {\"type\": \"StepLR\","
			+ " \"step_size\": 3, \"x\": [" + "{},".repeat(330_000) + "{}]}}";

	private static String largestLambdaRegistration() {
		String expression = "\"" + "epoch * 0.5 + ".repeat(64) + "1\"";
		return "{\"param_groups\": [" + "{\"lr\": 0.1},".repeat(291)
				+ "{\"lr\": 0.1}], \"scheduler\": {\"type\": \"LambdaLR\", \"lr_lambda\": ["
				+ (expression + ",").repeat(291) + expression + "]}}";
	}

	@ParameterizedTest(name = "-Xmx{0}m")
	@ValueSource(ints = { 224, 96 })
	void maximalRegistrationsAtOnceAreAdmittedOrRefusedNeverRunOutOfMemory(int heapMb) throws Exception {
		Path data = ServiceProcess.WORK.resolve("admission-" + System.nanoTime());
		List<String> jvm = List.of("-Xms" + heapMb + "m", "-Xmx" + heapMb + "m");
		try (ServiceProcess service = ServiceProcess.start("admission-" + heapMb, data, Database.h2(), jvm)) {
			HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			Api.Response canary = new Api().post(service.base(), "/api/v1/schedulers", Api.JSON.readTree(
					"{\"id\": \"canary\", \"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 3}}"));
			assertThat(canary.status()).isEqualTo(201);
			Map<Integer, Integer> statuses = new HashMap<>();
			for (int round = 0; round < 6; round++) {
				List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
				for (int i = 0; i < 16; i++) {
					String body = (i % 8 == 7) ? OBJECTS : (i % 8 == 6) ? CHAINED : LAMBDAS;
					answers.add(client.sendAsync(request(service.base(), body), HttpResponse.BodyHandlers.ofString()));
				}
				for (int i = 0; i < 16; i++) {
					HttpResponse<String> answer = answers.get(i).get(3, TimeUnit.MINUTES);
					statuses.merge(answer.statusCode(), 1, Integer::sum);
					assertAdmittedOrRefused(answer, (i % 8 == 7) ? 400 : 201);
				}
				assertThat(service.isAlive()).as("alive; log:%n%s", service.logTail(40)).isTrue();
			}
			HttpResponse<String> lr = client
				.send(HttpRequest.newBuilder(service.base().resolve("/api/v1/schedulers/canary/lr"))
					.timeout(Duration.ofSeconds(1))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(lr.statusCode()).isEqualTo(200);
			assertThat(statuses).as("statuses %s", statuses).containsKey(201);
			assertThat(service.logTail(400)).doesNotContain("OutOfMemoryError");
		}
	}

	private static HttpRequest request(URI base, String body) {
		return HttpRequest.newBuilder(base.resolve("/api/v1/schedulers"))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofMinutes(2))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	private static void assertAdmittedOrRefused(HttpResponse<String> answer, int admitted) {
		int status = answer.statusCode();
		assertThat(status).as(answer.body()).isIn(admitted, 422, 503);
		if (status == 201) {
			return;
		}
		if (status == 400) {
			assertThat(answer.body()).contains("malformed-request", "scheduler.x");
			return;
		}
		JsonNode problem = Api.JSON.readTree(answer.body());
		if (status == 503) {
			assertThat(problem.path("type").asString()).isEqualTo("https://stepwise.dev/problems/service-unavailable");
			assertThat(answer.headers().firstValue("Retry-After")).isPresent();
		}
		else {
			assertThat(problem.path("type").asString()).as(answer.body())
				.isEqualTo("https://stepwise.dev/problems/memory-limit-exceeded");
			assertThat(problem.path("estimate_bytes").asLong()).isGreaterThan(problem.path("limit_bytes").asLong());
		}
	}

}
