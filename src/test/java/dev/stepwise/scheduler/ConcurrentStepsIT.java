package dev.stepwise.scheduler;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.stepwise.OnEveryDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 32 ranks post the same epochs of one scheduler at once: every answer is 200, each epoch
 * is taken exactly once (every other post of it is a replay of the same state) and the
 * history is complete.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@OnEveryDatabase
class ConcurrentStepsIT {

	private static final int RANKS = 32;

	private static final int EPOCHS = 40;

	private static final String API = "/api/v1";

	@Autowired
	private RestTestClient client;

	@Test
	void everyEpochIsAppliedExactlyOnce() throws Exception {
		String id = "concurrent-" + UUID.randomUUID();
		this.client.post()
			.uri(API + "/schedulers")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 1.0}],"
					+ " \"scheduler\": {\"type\": \"ReduceLROnPlateau\", \"patience\": 0}}")
			.exchange()
			.expectStatus()
			.isEqualTo(201);
		CountDownLatch start = new CountDownLatch(1);
		List<Callable<List<EntityExchangeResult<JsonNode>>>> ranks = new ArrayList<>();
		for (int rank = 0; rank < RANKS; rank++) {
			ranks.add(() -> {
				start.await();
				List<EntityExchangeResult<JsonNode>> answers = new ArrayList<>();
				for (int epoch = 1; epoch <= EPOCHS; epoch++) {
					answers.add(this.client.post()
						.uri(API + "/schedulers/" + id + "/steps")
						.contentType(MediaType.APPLICATION_JSON)
						.body("{\"epoch\": " + epoch + ", \"metric\": " + metric(epoch) + "}")
						.exchange()
						.expectBody(JsonNode.class)
						.returnResult());
				}
				return answers;
			});
		}
		ExecutorService pool = Executors.newFixedThreadPool(RANKS);
		List<Future<List<EntityExchangeResult<JsonNode>>>> results = new ArrayList<>();
		try {
			ranks.forEach((rank) -> results.add(pool.submit(rank)));
			start.countDown();
			Map<Long, Integer> applied = new HashMap<>();
			Map<Long, Double> lrs = new HashMap<>();
			for (Future<List<EntityExchangeResult<JsonNode>>> result : results) {
				for (EntityExchangeResult<JsonNode> answer : result.get(5, TimeUnit.MINUTES)) {
					assertThat(answer.getStatus().value())
						.as(new String(answer.getResponseBodyContent(), StandardCharsets.UTF_8))
						.isEqualTo(200);
					JsonNode body = answer.getResponseBody();
					long epoch = body.path("last_epoch").asLong();
					if (!body.path("replayed").asBoolean()) {
						applied.merge(epoch, 1, Integer::sum);
					}
					double lr = body.path("param_groups").path(0).path("lr").asDouble();
					Double previous = lrs.putIfAbsent(epoch, lr);
					if (previous != null) {
						assertThat(lr).as("lr of epoch %d", epoch).isEqualTo(previous);
					}
				}
			}
			assertThat(applied).hasSize(EPOCHS).allSatisfy((epoch, count) -> assertThat(count).isOne());
		}
		finally {
			pool.shutdownNow();
		}
		this.client.get()
			.uri(API + "/schedulers/" + id + "/history")
			.exchange()
			.expectBody(JsonNode.class)
			.value((history) -> assertThat(history.path("items")).extracting((item) -> item.path("epoch").asLong())
				.containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(0, EPOCHS).boxed().toList()));
		this.client.get()
			.uri(API + "/schedulers/" + id + "/lr")
			.exchange()
			.expectBody(JsonNode.class)
			.value((lr) -> assertThat(lr.path("last_epoch").asLong()).isEqualTo(EPOCHS));
	}

	/** A metric that improves every third epoch. */
	private static double metric(int epoch) {
		return (epoch % 3 == 0) ? 1.0 / epoch : 1.0;
	}

}
