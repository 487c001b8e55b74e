package dev.stepwise.scheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A minimal HTTP client of the API, for tests over a real port: bodies are JSON text, answers are
 * status, headers and parsed JSON.
 */
final class HttpApi {

	private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final String base;

	HttpApi(int port) {
		this.base = "http://127.0.0.1:" + port + "/api/v1";
	}

	Answer get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET());
	}

	Answer get(String path, String header, String value) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).header(header, value).GET());
	}

	Answer post(String path, String json) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	Answer put(String path, String json) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(json)));
	}

	Answer delete(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).DELETE());
	}

	private Answer send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.client.send(request.timeout(Duration.ofSeconds(60)).build(),
					HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.headers().firstValue("ETag").orElse(null),
					response.body().isEmpty() ? null : JSON.readTree(response.body()), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * An answer of the API.
	 *
	 * @param status the HTTP status
	 * @param etag the ETag header, if any
	 * @param json the parsed body, if any
	 * @param body the body as text
	 */
	record Answer(int status, @Nullable String etag, @Nullable JsonNode json, String body) {

		JsonNode body(String field) {
			if (this.json == null) {
				throw new AssertionError("No body in a " + this.status + " answer");
			}
			return this.json.path(field);
		}

		double lr(int group) {
			return body("param_groups").path(group).path("lr").asDouble();
		}

		long lastEpoch() {
			return body("last_epoch").asLong();
		}

	}

}
