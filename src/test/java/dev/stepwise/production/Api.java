package dev.stepwise.production;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A minimal client of the HTTP API as a remote trainer uses it: JDK HttpClient and
 * Jackson, nothing else.
 */
final class Api {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	/**
	 * An answer: status, and the body as JSON (a missing node when empty or not JSON).
	 */
	record Response(int status, JsonNode json, String body, HttpHeaders headers) {

		/** The first value of a header, or "" when there is none. */
		String header(String name) {
			return this.headers.firstValue(name).orElse("");
		}

		boolean isServerError() {
			return this.status >= 500;
		}

		@Override
		public String toString() {
			return this.status + " " + (this.body.length() > 300 ? this.body.substring(0, 300) + "..." : this.body);
		}

	}

	/**
	 * One param group's values as the API reports them; exact equality (records compare
	 * doubles bitwise).
	 */
	record Group(double lr, @Nullable Double momentum) {
	}

	Response get(URI base, String path) throws IOException, InterruptedException {
		return send(base, "GET", path, null);
	}

	Response post(URI base, String path, Object body) throws IOException, InterruptedException {
		return send(base, "POST", path, body);
	}

	Response send(URI base, String method, String path, @Nullable Object body)
			throws IOException, InterruptedException {
		HttpRequest.BodyPublisher publisher = (body != null)
				? HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))
				: HttpRequest.BodyPublishers.noBody();
		HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.method(method, publisher)
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		JsonNode json;
		try {
			json = response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
		}
		catch (RuntimeException ex) {
			json = JSON.missingNode();
		}
		return new Response(response.statusCode(), json, response.body(), response.headers());
	}

	/** The {@code param_groups} of a state as values. */
	static List<Group> groups(JsonNode state) {
		List<Group> groups = new ArrayList<>();
		for (JsonNode group : state.path("param_groups")) {
			JsonNode momentum = group.path("momentum");
			groups.add(new Group(group.path("lr").asDouble(Double.NaN),
					(momentum.isMissingNode() || momentum.isNull()) ? null : momentum.asDouble()));
		}
		return groups;
	}

	/** {@code {"epoch": epoch, "metric": metric}}. */
	static Map<String, Object> step(long epoch, double metric) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("epoch", epoch);
		body.put("metric", metric);
		return body;
	}

	/**
	 * All history records of a scheduler, paging through {@code next_from_epoch}.
	 * @return the records in the order the service gave them
	 */
	List<JsonNode> history(URI base, String id) throws IOException, InterruptedException {
		List<JsonNode> items = new ArrayList<>();
		String from = "0";
		for (int page = 0; page < 1000; page++) {
			Response response = get(base, "/api/v1/schedulers/" + id + "/history?from_epoch=" + from + "&limit=10000");
			if (response.status() != 200) {
				throw new IllegalStateException("history of " + id + " gave " + response);
			}
			response.json().path("items").forEach(items::add);
			JsonNode next = response.json().path("next_from_epoch");
			if (next.isMissingNode() || next.isNull()) {
				return items;
			}
			from = next.asString();
		}
		throw new IllegalStateException("history of " + id + " does not end");
	}

}
