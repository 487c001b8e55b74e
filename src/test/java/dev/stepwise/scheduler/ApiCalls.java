package dev.stepwise.scheduler;

import java.nio.charset.StandardCharsets;

import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls of the in-process integration tests on {@code /api/v1}, and their answers as JSON
 * or text, each checked for its status.
 */
final class ApiCalls {

	static final String API = "/api/v1";

	private final RestTestClient client;

	ApiCalls(RestTestClient client) {
		this.client = client;
	}

	ResponseSpec get(String path) {
		return this.client.get().uri(API + path).exchange();
	}

	ResponseSpec post(String path, String json) {
		return this.client.post().uri(API + path).contentType(MediaType.APPLICATION_JSON).body(json).exchange();
	}

	ResponseSpec put(String path, String json) {
		return this.client.put().uri(API + path).contentType(MediaType.APPLICATION_JSON).body(json).exchange();
	}

	/** The answer's JSON, once its status is {@code status}. */
	static JsonNode json(ResponseSpec response, int status) {
		JsonNode json = response.expectStatus()
			.isEqualTo(status)
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(json).as("body of the answer").isNotNull();
		return json;
	}

	/** The answer's text, once its status is 200. */
	static String text(ResponseSpec response) {
		byte[] body = response.expectStatus().isEqualTo(200).expectBody().returnResult().getResponseBodyContent();
		return new String(body, StandardCharsets.UTF_8);
	}

}
