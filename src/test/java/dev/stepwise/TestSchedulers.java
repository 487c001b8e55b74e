package dev.stepwise;

import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/** Schedulers the integration tests register through the API. */
public final class TestSchedulers {

	private TestSchedulers() {
	}

	/**
	 * Registers a StepLR (step size 2, one group at lr 0.1) under a new id.
	 * @return its id, {@code prefix} and a random UUID
	 */
	public static String registerStepLR(RestTestClient client, String prefix) {
		String id = prefix + UUID.randomUUID();
		client.post()
			.uri("/api/v1/schedulers")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 0.1}],"
					+ " \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2}}")
			.exchange()
			.expectStatus()
			.isEqualTo(201);
		return id;
	}

}
