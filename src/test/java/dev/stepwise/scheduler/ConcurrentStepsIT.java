package dev.stepwise.scheduler;
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

import dev.stepwise.scheduler.HttpApi.Answer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 32 ranks post the same epochs of one scheduler at once: every answer is 200, each epoch is taken
 * exactly once (every other post of it is a replay of the same state) and the history is complete.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConcurrentStepsIT {

	private static final int RANKS = 32;

	private static final int EPOCHS = 40;

	@LocalServerPort
	private int port;

	@Test
	void everyEpochIsAppliedExactlyOnce() throws Exception {
		HttpApi api = new HttpApi(this.port);
		String id = "concurrent-" + UUID.randomUUID();
		Answer registered = api.post("/schedulers", "{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 1.0}],"
				+ " \"scheduler\": {\"type\": \"ReduceLROnPlateau\", \"patience\": 0}}");
		assertThat(registered.status()).isEqualTo(201);
		CountDownLatch start = new CountDownLatch(1);
		List<Callable<List<Answer>>> ranks = new ArrayList<>();
		for (int rank = 0; rank < RANKS; rank++) {
			ranks.add(() -> {
				start.await();
				List<Answer> answers = new ArrayList<>();
				for (int epoch = 1; epoch <= EPOCHS; epoch++) {
					answers.add(api.post("/schedulers/" + id + "/steps",
							"{\"epoch\": " + epoch + ", \"metric\": " + metric(epoch) + "}"));
				}
				return answers;
			});
		}
		ExecutorService pool = Executors.newFixedThreadPool(RANKS);
		List<Future<List<Answer>>> results = new ArrayList<>();
		try {
			ranks.forEach((rank) -> results.add(pool.submit(rank)));
			start.countDown();
			Map<Long, Integer> applied = new HashMap<>();
			Map<Long, Double> lrs = new HashMap<>();
			for (Future<List<Answer>> result : results) {
				for (Answer answer : result.get(5, TimeUnit.MINUTES)) {
					assertThat(answer.status()).as(answer.body()).isEqualTo(200);
					long epoch = answer.lastEpoch();
					if (!answer.body("replayed").asBoolean()) {
						applied.merge(epoch, 1, Integer::sum);
					}
					Double previous = lrs.putIfAbsent(epoch, answer.lr(0));
					if (previous != null) {
						assertThat(answer.lr(0)).as("lr of epoch %d", epoch).isEqualTo(previous);
					}
				}
			}
			assertThat(applied).hasSize(EPOCHS).allSatisfy((epoch, count) -> assertThat(count).isOne());
		}
		finally {
			pool.shutdownNow();
		}
		Answer history = api.get("/schedulers/" + id + "/history");
		assertThat(history.body("items")).extracting((item) -> item.path("epoch").asLong())
			.containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(0, EPOCHS).boxed().toList());
		assertThat(api.get("/schedulers/" + id + "/lr").lastEpoch()).isEqualTo(EPOCHS);
	}

	/** A metric that improves every third epoch. */
	private static double metric(int epoch) {
		return (epoch % 3 == 0) ? 1.0 / epoch : 1.0;
	}

}
