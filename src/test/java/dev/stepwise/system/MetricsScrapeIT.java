package dev.stepwise.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.stepwise.OnEveryDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/prometheus} after real traffic: every counter moved by exactly what
 * the requests did, and no scheduler id in the scrape. (The registered-schedulers gauge
 * counts at every scrape here.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "stepwise.metrics.registered-count-interval=0s")
@OnEveryDatabase
class MetricsScrapeIT {

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)$",
			Pattern.MULTILINE);

	private static final String DASHBOARD = "deploy/grafana/dashboards/stepwise.json";

	private static final Pattern METRIC = Pattern.compile("stepwise_[a-z_]+");

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void countersCountWhatTheRequestsDid() throws Exception {
		Map<String, Double> before = samples(scrape());
		String prefix = "metrics-" + UUID.randomUUID();
		String stepLr = prefix + "-steplr";
		String oneCycle = prefix + "-onecycle";
		String stepLrBody = registration(stepLr, "{\"type\": \"StepLR\", \"step_size\": 2}");
		assertThat(call("POST", "/api/v1/schedulers", stepLrBody, null).statusCode()).isEqualTo(201);
		assertThat(call("POST", "/api/v1/schedulers", stepLrBody, null).statusCode()).isEqualTo(200);
		assertThat(call("POST", "/api/v1/schedulers",
				registration(oneCycle, "{\"type\": \"OneCycleLR\", \"max_lr\": 0.1, \"total_steps\": 2}"), null)
			.statusCode()).isEqualTo(201);

		assertThat(step(stepLr, "{\"epoch\": 1}").statusCode()).isEqualTo(200);
		assertThat(step(stepLr, "{\"epoch\": 2}").statusCode()).isEqualTo(200);
		assertThat(step(stepLr, "{\"epoch\": 1}").body()).contains("\"replayed\":true");
		assertThat(step(stepLr, "{\"epoch\": 9}").body()).contains("epoch-conflict");
		assertThat(step(stepLr, "{\"epoch\": 2, \"metric\": 0.5}").body()).contains("epoch-conflict");
		int applied = 2;
		HttpResponse<String> oneCycleStep;
		do {
			oneCycleStep = step(oneCycle, "{}");
			applied += (oneCycleStep.statusCode() == 200) ? 1 : 0;
		}
		while (oneCycleStep.statusCode() == 200 && applied < 10);
		assertThat(oneCycleStep.body()).contains("step-refused");
		assertThat(step(prefix + "-unknown", "{}").statusCode()).isEqualTo(404);

		HttpResponse<String> lr = call("GET", "/api/v1/schedulers/" + stepLr + "/lr", null, null);
		String etag = lr.headers().firstValue("ETag").orElseThrow();
		assertThat(call("GET", "/api/v1/schedulers/" + stepLr + "/lr", null, etag).statusCode()).isEqualTo(304);
		assertThat(call("GET", "/api/v1/schedulers/" + oneCycle + "/lr", null, etag).statusCode()).isEqualTo(200);

		assertThat(call("POST", "/api/v1/previews",
				"{\"param_groups\": [{\"lr\": 1.0}, {\"lr\": 0.5}], \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2},"
						+ " \"steps\": 9}",
				null)
			.statusCode()).isEqualTo(200);
		assertThat(call("POST", "/api/v1/schedulers/" + stepLr + "/resume", "{\"last_epoch\": 1}", null).statusCode())
			.isEqualTo(200);
		String state = call("GET", "/api/v1/schedulers/" + stepLr + "/state", null, null).body();
		assertThat(call("PUT", "/api/v1/schedulers/" + stepLr + "/state", state, null).statusCode()).isEqualTo(200);

		String scrape = scrape();
		Map<String, Double> after = samples(scrape);
		Map<String, Double> moved = new HashMap<>();
		after.forEach((name, value) -> moved.put(name, value - before.getOrDefault(name, 0.0)));
		assertThat(moved).containsEntry("stepwise_steps_total{outcome=\"applied\"}", (double) applied)
			.containsEntry("stepwise_steps_total{outcome=\"replayed\"}", 1.0)
			.containsEntry("stepwise_steps_total{outcome=\"conflict\"}", 2.0)
			.containsEntry("stepwise_steps_total{outcome=\"refused\"}", 1.0)
			.containsEntry("stepwise_steps_total{outcome=\"failed\"}", 1.0)
			.containsEntry("stepwise_steps_latency_seconds_count", applied + 5.0)
			.containsEntry("stepwise_registrations_total{created=\"true\",type=\"StepLR\"}", 1.0)
			.containsEntry("stepwise_registrations_total{created=\"false\",type=\"StepLR\"}", 1.0)
			.containsEntry("stepwise_registrations_total{created=\"true\",type=\"OneCycleLR\"}", 1.0)
			.containsEntry("stepwise_lr_reads_total{result=\"ok\"}", 2.0)
			.containsEntry("stepwise_lr_reads_total{result=\"not_modified\"}", 1.0)
			.containsEntry("stepwise_resumes_total", 1.0)
			.containsEntry("stepwise_state_puts_total", 1.0)
			.containsEntry("stepwise_previews_seconds_count", 1.0)
			.containsEntry("stepwise_previews_values_sum", 20.0);
		// every step was committed in some batch, each of one or more steps
		assertThat(moved.get("stepwise_steps_batch_size_sum")).isGreaterThanOrEqualTo(applied + 5.0);
		assertThat(moved.get("stepwise_steps_commit_seconds_count")).isBetween(1.0, applied + 5.0);
		assertThat(after).containsKey("stepwise_steps_queue_depth")
			.containsKey("stepwise_steps_queue_wait_seconds_bucket{le=\"0.001\"}");
		assertThat(after.get("stepwise_schedulers_registered")).isEqualTo(totalRegistered());
		assertThat(scrape).doesNotContain(prefix);
		assertThat(dashboardMetrics()).hasSizeGreaterThan(10)
			.allSatisfy((metric) -> assertThat(after.keySet()).as("the dashboard's %s in the scrape", metric)
				.anyMatch((sample) -> sample.equals(metric) || sample.startsWith(metric + "{")));
	}

	/**
	 * The metrics the queries of the Grafana dashboard name; each panel names at least
	 * one.
	 */
	static Set<String> dashboardMetrics() throws IOException {
		JsonNode dashboard = JsonMapper.shared().readTree(Files.readString(Path.of(DASHBOARD)));
		Set<String> metrics = new TreeSet<>();
		assertThat(dashboard.path("panels")).isNotEmpty().allSatisfy((panel) -> {
			Set<String> named = new TreeSet<>();
			panel.path("targets").forEach((target) -> {
				Matcher metric = METRIC.matcher(target.path("expr").asString());
				while (metric.find()) {
					named.add(metric.group());
				}
			});
			assertThat(named).as(panel.path("title").asString()).isNotEmpty();
			metrics.addAll(named);
		});
		return metrics;
	}

	private static String registration(String id, String scheduler) {
		return "{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 0.1}], \"scheduler\": " + scheduler + "}";
	}

	private HttpResponse<String> step(String id, String body) throws IOException, InterruptedException {
		return call("POST", "/api/v1/schedulers/" + id + "/steps", body, null);
	}

	private double totalRegistered() throws IOException, InterruptedException {
		Matcher total = Pattern.compile("\"total_items\":(\\d+)")
			.matcher(call("GET", "/api/v1/schedulers?size=1", null, null).body());
		assertThat(total.find()).isTrue();
		return Double.parseDouble(total.group(1));
	}

	private String scrape() throws IOException, InterruptedException {
		HttpResponse<String> scrape = call("GET", "/actuator/prometheus", null, null);
		assertThat(scrape.statusCode()).isEqualTo(200);
		return scrape.body();
	}

	/** Each sample of a scrape: its name with its labels, and its value. */
	static Map<String, Double> samples(String scrape) {
		Map<String, Double> samples = new HashMap<>();
		Matcher sample = SAMPLE.matcher(scrape);
		while (sample.find()) {
			samples.put(sample.group(1), Double.parseDouble(sample.group(2)));
		}
		return samples;
	}

	private HttpResponse<String> call(String method, String path, String body, String ifNoneMatch)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (ifNoneMatch != null) {
			request.header("If-None-Match", ifNoneMatch);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
