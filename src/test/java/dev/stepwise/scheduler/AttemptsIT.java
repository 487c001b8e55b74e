package dev.stepwise.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.stepwise.OnEveryDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec;

import static dev.stepwise.scheduler.ApiCalls.API;
import static dev.stepwise.scheduler.ApiCalls.json;
import static dev.stepwise.scheduler.ApiCalls.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Training attempts over a real port: a job that crashed and starts again, without a
 * checkpoint (from epoch 0, once, whichever rank comes first) and with one (from the
 * checkpoint, once, every rank loading it), its ranks racing each other and a zombie rank
 * of the crashed attempt that may not move the schedule.
 * <p>
 * The schedule: StepLR(step_size=2, gamma=0.5) on lr 1.0, so epoch e has lr 0.5^(e/2).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@OnEveryDatabase
class AttemptsIT {

	private static final int RANKS = 4;

	@Autowired
	private RestTestClient client;

	private ApiCalls api;

	@BeforeEach
	void callTheApi() {
		this.api = new ApiCalls(this.client);
	}

	@Test
	void aFreshAttemptStartsAtEpochZeroOnceWhicheverRankComesFirstAndTheZombieIsRefused() throws Exception {
		String id = "fresh-" + UUID.randomUUID();
		crashedAttempt(id, "job/0", 5);

		// the restarted job: every rank registers and steps 1..6 at once, the zombie of
		// job/0 too
		CountDownLatch go = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(RANKS + 1);
		try {
			List<Future<List<JsonNode>>> ranks = new ArrayList<>();
			for (int rank = 0; rank < RANKS; rank++) {
				ranks.add(pool.submit(rank(id, "job/1", 6, go)));
			}
			go.countDown();
			List<List<JsonNode>> answers = new ArrayList<>();
			for (Future<List<JsonNode>> rank : ranks) {
				answers.add(rank.get());
			}
			for (List<JsonNode> rank : answers) {
				// the registration holds the schedule's start, then every step has
				// torch's lr
				assertThat(rank).extracting(AttemptsIT::lastEpoch).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
				assertThat(rank).extracting(AttemptsIT::lr).containsExactly(1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.125);
			}
			for (int epoch = 1; epoch <= 6; epoch++) {
				int taken = 0;
				for (List<JsonNode> rank : answers) {
					taken += rank.get(epoch).path("replayed").asBoolean() ? 0 : 1;
				}
				assertThat(taken).as("ranks that took epoch %d", epoch).isEqualTo(1);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertZombieRefused(id, "job/0", "job/1", 6);
		JsonNode history = json(this.api.get("/schedulers/" + id + "/history"), 200).path("items");
		assertThat(history).extracting((item) -> item.path("epoch").asLong())
			.containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
		assertThat(history).extracting((item) -> item.path("attempt").asString()).containsOnly("job/1");
		JsonNode attempts = json(this.api.get("/schedulers/" + id + "/attempts"), 200).path("items");
		assertThat(attempts).extracting((item) -> item.path("attempt").asString()).containsExactly("job/0", "job/1");
		assertThat(attempts.path(0).path("current").asBoolean()).isFalse();
		assertThat(attempts.path(0).path("superseded_at").isNull()).isFalse();
		assertThat(attempts.path(1).path("current").asBoolean()).isTrue();
		assertThat(attempts.path(1).path("started_by").asString()).isEqualTo("step");
		assertThat(attempts.path(1).path("start_epoch").asLong()).isEqualTo(0);
	}

	@Test
	void betweenAdoptionAndStartTheSchedulerStandsAtItsStartWithTheOldHistoryKept() {
		String id = "between-" + UUID.randomUUID();
		crashedAttempt(id, "job/0", 5);
		JsonNode registered = json(register(id, "job/1"), 200);
		assertThat(lastEpoch(registered)).isZero();
		assertThat(registered.path("attempt").asString()).isEqualTo("job/1");
		assertThat(registered.path("attempt_started").asBoolean()).isFalse();
		JsonNode lr = json(this.api.get("/schedulers/" + id + "/lr"), 200);
		assertThat(lastEpoch(lr)).isZero();
		assertThat(lr(lr)).isEqualTo(1.0);
		assertThat(json(this.api.get("/schedulers/" + id + "/state"), 200).path("last_epoch").asLong()).isZero();
		assertThat(json(this.api.get("/schedulers/" + id + "/history"), 200).path("items")).hasSize(6);
		// the same attempt registering again changes nothing; the replay of the start is
		// the start
		assertThat(lastEpoch(json(register(id, "job/1"), 200))).isZero();
		JsonNode start = json(step(id, "job/1", 0), 200);
		assertThat(start.path("replayed").asBoolean()).isTrue();
		assertThat(lr(start)).isEqualTo(1.0);
		step(id, "job/1", 2).expectStatus().isEqualTo(409);
		assertThat(json(this.api.get("/schedulers/" + id + "/history"), 200).path("items")).hasSize(6);
	}

	@Test
	void aCheckpointedAttemptResumesThereOnceAsEveryRankLoadsIt() {
		String id = "resume-" + UUID.randomUUID();
		crashedAttempt(id, "job/0", 7);
		// job/1 loads the checkpoint taken after epoch 4: rank 1 registers first (its
		// registration is where a fresh start would be), rank 0 resumes and steps on
		// before rank 1 loads the checkpoint too
		assertThat(lastEpoch(json(register(id, "job/1"), 200))).isZero();
		assertThat(lastEpoch(json(register(id, "job/1"), 200))).isZero();
		JsonNode resumed = json(resume(id, "job/1", 4), 200);
		assertThat(lastEpoch(resumed)).isEqualTo(4);
		assertThat(lr(resumed)).isEqualTo(0.25);
		assertThat(json(step(id, "job/1", 5), 200).path("replayed").asBoolean()).isFalse();
		JsonNode again = json(resume(id, "job/1", 4), 200);
		assertThat(lastEpoch(again)).isEqualTo(4);
		assertThat(lr(again)).isEqualTo(0.25);
		assertThat(lastEpoch(json(this.api.get("/schedulers/" + id + "/lr"), 200))).isEqualTo(5);
		assertThat(json(step(id, "job/1", 5), 200).path("replayed").asBoolean()).isTrue();
		assertThat(lr(json(step(id, "job/1", 6), 200))).isEqualTo(0.125);

		assertZombieRefused(id, "job/0", "job/1", 6);
		JsonNode history = json(this.api.get("/schedulers/" + id + "/history"), 200).path("items");
		assertThat(history).extracting((item) -> item.path("epoch").asLong())
			.containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
		assertThat(history).extracting((item) -> item.path("attempt").asString())
			.containsExactly("job/0", "job/0", "job/0", "job/0", "job/0", "job/1", "job/1");
		JsonNode attempt = json(this.api.get("/schedulers/" + id + "/attempts"), 200).path("items").path(1);
		assertThat(attempt.path("started_by").asString()).isEqualTo("resume");
		assertThat(attempt.path("start_epoch").asLong()).isEqualTo(4);
		assertThat(attempt.path("restored_epoch").asLong()).isEqualTo(4);
	}

	@Test
	void aCheckpointedAttemptRestoresItsStateDocumentOnceEvenAfterAFreshStartRegistration() {
		String id = "state-" + UUID.randomUUID();
		crashedAttempt(id, "job/0", 4);
		String checkpoint = text(this.api.get("/schedulers/" + id + "/state"));
		for (int epoch = 5; epoch <= 7; epoch++) {
			step(id, "job/0", epoch).expectStatus().isEqualTo(200);
		}
		json(register(id, "job/1"), 200);
		JsonNode restored = json(putState(id, "job/1", checkpoint), 200);
		assertThat(lastEpoch(restored)).isEqualTo(4);
		assertThat(lr(restored)).isEqualTo(0.25);
		step(id, "job/1", 5).expectStatus().isEqualTo(200);
		// another rank loads the same checkpoint after the first one stepped on
		JsonNode again = json(putState(id, "job/1", checkpoint), 200);
		assertThat(lastEpoch(again)).isEqualTo(4);
		assertThat(lastEpoch(json(this.api.get("/schedulers/" + id + "/lr"), 200))).isEqualTo(5);
		assertThat(json(step(id, "job/1", 5), 200).path("replayed").asBoolean()).isTrue();
		assertZombieRefused(id, "job/0", "job/1", 5);
		// another state of that epoch is no copy of the checkpoint: it is restored
		JsonNode other = json(putState(id, "job/1", checkpoint.replace("0.25", "0.375")), 200);
		assertThat(lastEpoch(other)).isEqualTo(4);
		assertThat(lr(other)).isEqualTo(0.375);
		assertThat(lastEpoch(json(this.api.get("/schedulers/" + id + "/lr"), 200))).isEqualTo(4);
		JsonNode attempt = json(this.api.get("/schedulers/" + id + "/attempts"), 200).path("items").path(1);
		assertThat(attempt.path("started_by").asString()).isEqualTo("state");
		assertThat(attempt.path("start_epoch").asLong()).isEqualTo(4);
	}

	@Test
	void aCheckpointOnAWipedServiceRegistersAndRestoresIt() {
		String id = "wiped-" + UUID.randomUUID();
		crashedAttempt(id, "job/0", 3);
		String checkpoint = text(this.api.get("/schedulers/" + id + "/state"));
		this.client.delete().uri(API + "/schedulers/" + id).exchange().expectStatus().isEqualTo(204);
		JsonNode created = json(register(id, "job/1"), 201);
		assertThat(created.path("attempt_started").asBoolean()).isFalse();
		JsonNode notRecorded = json(resume(id, "job/1", 3), 409);
		assertThat(notRecorded.path("type").asString()).endsWith("/epoch-conflict");
		assertThat(lastEpoch(json(putState(id, "job/1", checkpoint), 200))).isEqualTo(3);
		assertThat(lr(json(step(id, "job/1", 4), 200))).isEqualTo(0.25);
		// the attempts of the deleted scheduler are forgotten with it
		assertThat(json(this.api.get("/schedulers/" + id + "/attempts"), 200).path("items"))
			.extracting((item) -> item.path("attempt").asString())
			.containsExactly("job/1");
	}

	@Test
	void requestsWithoutAnAttemptAreNotChecked() {
		String id = "legacy-" + UUID.randomUUID();
		crashedAttempt(id, "job/0", 2);
		this.api.post("/schedulers/" + id + "/steps", "{\"epoch\": 3}").expectStatus().isEqualTo(200);
		String plain = "{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 1.0}],"
				+ " \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2, \"gamma\": 0.5}}";
		JsonNode attach = json(this.api.post("/schedulers", plain), 200);
		assertThat(lastEpoch(attach)).isEqualTo(3);
		assertThat(attach.path("attempt").asString()).isEqualTo("job/0");
		assertThat(lastEpoch(json(this.api.post("/schedulers/" + id + "/resume", "{\"last_epoch\": 1}"), 200)))
			.isEqualTo(1);
		JsonNode history = json(this.api.get("/schedulers/" + id + "/history"), 200).path("items");
		assertThat(history).extracting((item) -> item.path("attempt").isNull()).containsExactly(false, false);
		// an attempt the scheduler never adopted is refused as well
		JsonNode unknown = json(step(id, "job/7", 2), 409);
		assertThat(unknown.path("attempt").asString()).isEqualTo("job/0");
	}

	/** Registers with {@code attempt} and takes {@code epochs} steps, then "crashes". */
	private void crashedAttempt(String id, String attempt, int epochs) {
		register(id, attempt).expectStatus().isEqualTo(201);
		for (int epoch = 1; epoch <= epochs; epoch++) {
			assertThat(json(step(id, attempt, epoch), 200).path("replayed").asBoolean()).isFalse();
		}
	}

	/**
	 * A rank: registers, then steps 1 to {@code epochs}, naming each epoch, as the Python
	 * client does; its answers in order.
	 */
	private Callable<List<JsonNode>> rank(String id, String attempt, int epochs, CountDownLatch go) {
		return () -> {
			go.await();
			List<JsonNode> answers = new ArrayList<>();
			answers.add(json(register(id, attempt), 200));
			for (int epoch = 1; epoch <= epochs; epoch++) {
				answers.add(json(step(id, attempt, epoch), 200));
			}
			return answers;
		};
	}

	/**
	 * The zombie may neither step, resume, restore nor re-register, and the schedule
	 * stays at {@code lastEpoch}.
	 */
	private void assertZombieRefused(String id, String zombie, String current, long lastEpoch) {
		String state = text(this.api.get("/schedulers/" + id + "/state"));
		List<JsonNode> refusals = List.of(json(step(id, zombie, lastEpoch + 1), 409), json(step(id, zombie, 1), 409),
				json(resume(id, zombie, 1), 409), json(putState(id, zombie, state), 409),
				json(register(id, zombie), 409));
		for (JsonNode refusal : refusals) {
			assertThat(refusal.path("type").asString()).isEqualTo("https://stepwise.dev/problems/stale-attempt");
			assertThat(refusal.path("attempt").asString()).isEqualTo(current);
		}
		assertThat(lastEpoch(json(this.api.get("/schedulers/" + id + "/lr"), 200))).isEqualTo(lastEpoch);
	}

	private ResponseSpec register(String id, String attempt) {
		return this.api.post("/schedulers", "{\"id\": \"" + id + "\", \"param_groups\": [{\"lr\": 1.0}], \"scheduler\":"
				+ " {\"type\": \"StepLR\", \"step_size\": 2, \"gamma\": 0.5}, \"attempt\": \"" + attempt + "\"}");
	}

	private ResponseSpec step(String id, String attempt, long epoch) {
		return this.api.post("/schedulers/" + id + "/steps",
				"{\"epoch\": " + epoch + ", \"attempt\": \"" + attempt + "\"}");
	}

	private ResponseSpec resume(String id, String attempt, long epoch) {
		return this.api.post("/schedulers/" + id + "/resume",
				"{\"last_epoch\": " + epoch + ", \"attempt\": \"" + attempt + "\"}");
	}

	private ResponseSpec putState(String id, String attempt, String document) {
		return this.client.put()
			.uri(API + "/schedulers/" + id + "/state?attempt={attempt}", attempt)
			.contentType(MediaType.APPLICATION_JSON)
			.body(document)
			.exchange();
	}

	private static double lr(JsonNode answer) {
		return answer.path("param_groups").path(0).path("lr").asDouble();
	}

	private static long lastEpoch(JsonNode answer) {
		return answer.path("last_epoch").asLong();
	}

}
