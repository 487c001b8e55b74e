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
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.stepwise.OnEveryDatabase;
import dev.stepwise.scheduler.Limits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile and chaos suite against the packaged service with the image's heap (224 MB,
 * exit on OutOfMemoryError), on the database the build is pointed at: every hostile
 * request ends in a 4xx (or 503) problem, never HTML, a 500 or internals, and the service
 * still answers a GET lr and a POST step within a second afterwards.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@OnEveryDatabase
class HostileRequestsIT {

	private static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);

	private static final String CANARY = "hostile-canary";

	/** The resident set the service may reach: the 224 MB heap plus the JVM's own. */
	private static final long MAX_RESIDENT_KB = 640 * 1024;

	private final Api api = new Api();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(ANSWER_WITHIN)
		.build();

	private ServiceProcess service;

	private long canaryEpoch;

	@BeforeAll
	void start() throws Exception {
		Path data = Files.createDirectories(ServiceProcess.WORK).resolve("hostile-" + System.nanoTime());
		this.service = ServiceProcess.start("hostile-" + System.nanoTime(), data, Database.configured(),
				List.of("-Xms224m", "-Xmx224m", "-XX:+ExitOnOutOfMemoryError"));
		for (String body : List.of(HostileRequests.TARGET_SPEC, HostileRequests.PLATEAU_SPEC, "{\"id\": \"" + CANARY
				+ "\", \"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {\"type\": \"CosineAnnealingLR\", \"T_max\": 100}}")) {
			Api.Response registered = this.api.post(this.service.base(), "/api/v1/schedulers", Api.JSON.readTree(body));
			assertThat(registered.status()).as(registered.toString()).isIn(200, 201);
		}
	}

	@AfterAll
	void stop() throws InterruptedException {
		if (this.service != null) {
			this.service.close();
		}
	}

	@Test
	void thereAreAtLeastAHundredShapesInEveryCategory() {
		Map<String, Long> perCategory = HostileRequests.all()
			.stream()
			.collect(Collectors.groupingBy(HostileRequests.Shape::category, Collectors.counting()));
		assertThat(perCategory.values().stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(100);
		assertThat(perCategory).containsOnlyKeys("expression", "json", "path", "query", "limit", "state", "step");
		assertThat(perCategory.values()).allMatch((count) -> count >= 10);
	}

	@TestFactory
	@Order(1)
	Stream<DynamicTest> everyHostileRequestIsAProblemAndTheServiceCarriesOn() {
		return HostileRequests.all().stream().map((shape) -> DynamicTest.dynamicTest(shape.toString(), () -> {
			RawHttp.Answer answer = RawHttp.send(this.service.base(), shape.request(), Duration.ofSeconds(30));
			assertThat(answer.status()).as(shape + " -> " + answer).isIn(shape.statuses().toArray());
			assertProblem(answer, shape.toString());
			assertServiceAnswers();
		}));
	}

	/**
	 * Two bodies registered under one new id at once: one wins, the other is a 409, and
	 * every rank of the winner gets its resource.
	 */
	@Test
	@Order(2)
	void concurrentRegistrationsOfOneIdAgree() throws Exception {
		String id = "race-register-" + System.nanoTime();
		List<Callable<Api.Response>> calls = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			int stepSize = 2 + (i % 2);
			calls.add(() -> this.api.post(this.service.base(), "/api/v1/schedulers",
					Api.JSON.readTree("{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 0.1}], \"scheduler\":"
							+ " {\"type\": \"StepLR\", \"step_size\": " + stepSize + "}}")));
		}
		List<Api.Response> answers = all(calls);
		assertThat(answers).extracting(Api.Response::status)
			.allMatch((status) -> List.of(200, 201, 409).contains(status));
		assertThat(answers).filteredOn((answer) -> answer.status() == 201).hasSize(1);
		assertThat(answers).filteredOn((answer) -> answer.status() == 409).hasSize(8);
		assertServiceAnswers();
	}

	/** Sixteen ranks post the same epoch at once: it is taken exactly once. */
	@Test
	@Order(3)
	void concurrentStepsOfOneEpochAreTakenOnce() throws Exception {
		String id = register("race-step");
		List<Callable<Api.Response>> calls = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			calls.add(() -> this.api.post(this.service.base(), "/api/v1/schedulers/" + id + "/steps",
					Map.of("epoch", 1)));
		}
		List<Api.Response> answers = all(calls);
		assertThat(answers).extracting(Api.Response::status).containsOnly(200);
		assertThat(answers).filteredOn((answer) -> !answer.json().path("replayed").asBoolean()).hasSize(1);
		assertServiceAnswers();
	}

	/**
	 * Steps, state replacements and a delete of one scheduler at once: each answer is a
	 * success or a 404/409 problem, and the scheduler is gone at the end.
	 */
	@Test
	@Order(4)
	void stepsRacingADeleteAndStateReplacementsAreAnsweredCleanly() throws Exception {
		String id = register("race-delete");
		String path = "/api/v1/schedulers/" + id;
		JsonNode state = this.api.get(this.service.base(), path + "/state").json();
		List<Callable<Api.Response>> calls = new ArrayList<>();
		for (int i = 1; i <= 24; i++) {
			long epoch = i;
			calls.add(() -> this.api.post(this.service.base(), path + "/steps", Map.of("epoch", epoch)));
			if (i % 4 == 0) {
				calls.add(() -> this.api.send(this.service.base(), "PUT", path + "/state", state));
			}
		}
		calls.add(12, () -> this.api.send(this.service.base(), "DELETE", path, null));
		List<Api.Response> answers = all(calls);
		assertThat(answers).extracting(Api.Response::status)
			.allMatch((status) -> List.of(200, 204, 404, 409).contains(status));
		assertThat(this.api.get(this.service.base(), path + "/lr").status()).isEqualTo(404);
		assertServiceAnswers();
	}

	/**
	 * Thirty-two of the largest previews the limits allow, at once: each is answered
	 * (computed, refused for its cost, or 503 when the bulkhead is full), the service
	 * stays within its heap, and GET lr answers within a second all along.
	 */
	/* Last: before the hardening, this one ran the service out of memory. */
	@Test
	@Order(9)
	void maximalPreviewsAtOnceLeaveTheServiceAnswering() throws Exception {
		String groups = IntStream.range(0, 1024)
			.mapToObj((i) -> "{\"lr\": 0.1}")
			.collect(Collectors.joining(", ", "[", "]"));
		HttpRequest preview = HttpRequest.newBuilder(this.service.base().resolve("/api/v1/previews"))
			.timeout(Duration.ofMinutes(2))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"param_groups\": " + groups
					+ ", \"scheduler\": {\"type\": \"OneCycleLR\", \"max_lr\": 0.1, \"total_steps\": 100000},"
					+ " \"steps\": " + (Limits.MAX_PREVIEW_VALUES / 1024 - 1) + "}"))
			.build();
		ExecutorService pool = Executors.newFixedThreadPool(32);
		try {
			List<Future<HttpResponse<Void>>> running = new ArrayList<>();
			for (int i = 0; i < 32; i++) {
				// the answers (about 90 MB each) are read and dropped: this JVM must not
				// be the
				// bottleneck
				running.add(pool.submit(() -> this.http.send(preview, HttpResponse.BodyHandlers.discarding())));
			}
			while (running.stream().anyMatch((future) -> !future.isDone())) {
				assertServiceAnswers();
			}
			for (Future<HttpResponse<Void>> future : running) {
				assertThat(future.get().statusCode()).isIn(200, 422, 503);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertServiceAnswers();
		assertResidentSetBounded();
	}

	private String register(String prefix) throws IOException, InterruptedException {
		String id = prefix + "-" + System.nanoTime();
		Api.Response registered = this.api
			.post(this.service.base(), "/api/v1/schedulers", Api.JSON.readTree("{\"id\": \"" + id
					+ "\", \"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2}}"));
		assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
		return id;
	}

	private static List<Api.Response> all(List<Callable<Api.Response>> calls) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(calls.size());
		try {
			List<Api.Response> answers = new ArrayList<>();
			for (Future<Api.Response> future : pool.invokeAll(calls, 2, TimeUnit.MINUTES)) {
				answers.add(future.get());
			}
			return answers;
		}
		finally {
			pool.shutdownNow();
		}
	}

	/** A problem document: no HTML, no stack trace, its own status inside. */
	private static void assertProblem(RawHttp.Answer answer, String what) {
		assertThat(answer.header("Content-Type")).as(what + " -> " + answer).startsWith("application/problem+json");
		JsonNode problem = Api.JSON.readTree(answer.body());
		assertThat(problem.path("status").asInt()).as(what).isEqualTo(answer.status());
		assertThat(problem.path("type").asString()).as(what).startsWith("https://stepwise.dev/problems/");
		assertThat(problem.path("title").asString()).as(what).isNotBlank();
		assertThat(answer.body()).as(what)
			.doesNotContainIgnoringCase("<html")
			.doesNotContain("Exception")
			.doesNotContain("at org.")
			.doesNotContain("at java.")
			.doesNotContainIgnoringCase("tomcat");
	}

	/** A GET lr and a POST step of the canary, each answered within a second. */
	private void assertServiceAnswers() throws IOException, InterruptedException {
		assertThat(this.service.isAlive()).as("the service is running; log:\n%s", this.service.logTail(40)).isTrue();
		URI lr = this.service.base().resolve("/api/v1/schedulers/" + CANARY + "/lr");
		HttpResponse<String> read = this.http.send(HttpRequest.newBuilder(lr).timeout(ANSWER_WITHIN).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
		long epoch = ++this.canaryEpoch;
		URI steps = this.service.base().resolve("/api/v1/schedulers/" + CANARY + "/steps");
		HttpResponse<String> step = this.http.send(HttpRequest.newBuilder(steps)
			.timeout(ANSWER_WITHIN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"epoch\": " + epoch + "}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(step.statusCode()).as(step.body()).isEqualTo(200);
	}

	/** The service's resident set, from /proc (Linux). */
	private void assertResidentSetBounded() throws IOException {
		Path status = Path.of("/proc", Long.toString(this.service.pid()), "status");
		if (!Files.exists(status)) {
			return;
		}
		long residentKb = Files.readAllLines(status)
			.stream()
			.filter((line) -> line.startsWith("VmRSS:"))
			.mapToLong((line) -> Long.parseLong(line.replaceAll("\\D", "")))
			.findFirst()
			.orElseThrow();
		assertThat(residentKb).as("resident set in KB").isLessThan(MAX_RESIDENT_KB);
	}

}
