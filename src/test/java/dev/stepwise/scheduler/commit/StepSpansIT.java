package dev.stepwise.scheduler.commit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.stepwise.OnEveryDatabase;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With tracing on, a step whose request carries a W3C {@code traceparent} continues that
 * trace: the server span has its trace id, and the step's queue, lock, engine and commit
 * spans are children of the server span (the last three taken on a writer thread).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.tracing.export.enabled=true", "management.tracing.sampling.probability=1.0",
				"management.tracing.export.otlp.enabled=false",
				"management.opentelemetry.tracing.export.schedule-delay=50ms" })
@OnEveryDatabase
class StepSpansIT {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private InMemorySpanExporter spans;

	@Test
	void aStepContinuesTheCallersTraceWithItsFourSpans() throws Exception {
		String id = "traced-" + UUID.randomUUID();
		assertThat(post("/api/v1/schedulers",
				"{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {\"type\": \"StepLR\","
						+ " \"step_size\": 2}}",
				null)
			.statusCode()).isEqualTo(201);
		assertThat(
				post("/api/v1/schedulers/" + id + "/steps", "{\"epoch\": 1}", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
					.statusCode())
			.isEqualTo(200);

		List<SpanData> trace = awaitTrace(5);
		SpanData server = trace.stream().filter((span) -> span.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
		assertThat(server.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
		assertThat(trace).filteredOn((span) -> span != server)
			.allSatisfy((span) -> assertThat(span.getParentSpanId()).isEqualTo(server.getSpanId()))
			.extracting(SpanData::getName)
			.containsExactlyInAnyOrder(StepTrace.QUEUE, StepTrace.LOCK, StepTrace.ENGINE, StepTrace.COMMIT);
	}

	private List<SpanData> awaitTrace(int count) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		List<SpanData> trace;
		do {
			Thread.sleep(50);
			trace = this.spans.getFinishedSpanItems()
				.stream()
				.filter((span) -> span.getTraceId().equals(TRACE_ID))
				.toList();
		}
		while (trace.size() < count && System.nanoTime() < deadline);
		return trace;
	}

	private HttpResponse<String> post(String path, String body, String traceparent) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.header("Content-Type", "application/json");
		if (traceparent != null) {
			request.header("traceparent", traceparent);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Exporter {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

	}

}
