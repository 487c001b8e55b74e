package dev.stepwise.access;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests to a running service with or without a bearer token, for the authentication
 * tests.
 */
public final class Http {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final URI base;

	public Http(URI base) {
		this.base = base;
	}

	/** One exchange; {@code body} null sends none. */
	public Response send(String method, String path, @Nullable String token, @Nullable String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.base.resolve(path))
			.timeout(Duration.ofSeconds(30))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (token != null) {
			request.header("Authorization", token.contains(" ") ? token : "Bearer " + token);
		}
		try {
			HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers().firstValue("WWW-Authenticate").orElse(null),
					response.headers().firstValue("Content-Type").orElse(""), response.body(),
					response.headers().firstValue("Set-Cookie").orElse(null));
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + path + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public Response get(String path, @Nullable String token) {
		return send("GET", path, token, null);
	}

	public Response post(String path, @Nullable String token, String body) {
		return send("POST", path, token, body);
	}

	/** Mints a token with the admin token; its secret. */
	public String mint(String adminToken, String scope, String access) {
		Response minted = post("/api/v1/tokens", adminToken, "{\"name\": \"test " + access + " " + scope
				+ "\", \"scope\": \"" + scope + "\", \"access\": \"" + access + "\"}");
		if (minted.status() != 201) {
			throw new IllegalStateException("mint: " + minted);
		}
		return minted.json().path("secret").asString();
	}

	/** A registration body of a small schedule. */
	public static String registration(String id) {
		return "{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 0.1}],"
				+ " \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2}}";
	}

	/**
	 * An answer.
	 *
	 * @param status the status code
	 * @param challenge the {@code WWW-Authenticate} header, or null
	 * @param contentType the {@code Content-Type}
	 * @param body the body
	 */
	public record Response(int status, @Nullable String challenge, String contentType, String body,
			@Nullable String setCookie) {

		public JsonNode json() {
			return JSON.readTree(this.body.isEmpty() ? "{}" : this.body);
		}

		@Override
		public String toString() {
			return this.status + " " + this.body;
		}

	}

}
