package dev.stepwise.scheduler.commit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.stepwise.TestSchedulers;
import dev.stepwise.scheduler.store.SchedulerCache;
import dev.stepwise.scheduler.store.SchedulerRows;
import dev.stepwise.scheduler.store.SchedulerAttemptRows;
import dev.stepwise.scheduler.store.SchedulerStepRows;
import dev.stepwise.scheduler.store.SchedulerStore;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults of the group commit through the whole stack, injected by a committer of this
 * test's own: a step writer that dies of an error is answered 503 and replaced, while
 * readiness refuses traffic; a commit slower than the commit timeout is answered 503 with
 * {@code Retry-After}, is still committed afterwards, and a retry with its epoch is a
 * replay.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "stepwise.steps.commit-timeout=500ms")
@AutoConfigureRestTestClient
@Import(StepWriterFaultsIT.Faults.class)
class StepWriterFaultsIT {

	@Autowired
	private RestTestClient client;

	@Autowired
	private FaultyCommitter committer;

	@Autowired
	private StepWritersHealth health;

	@Autowired
	private ReadinessLog log;

	@AfterEach
	void heal() {
		this.committer.release();
	}

	@Test
	void aWriterThatDiesIsReplacedAndReadinessRefusesTrafficUntilThen() {
		String id = register();
		this.committer.errorOnce = new LinkageError("injected");
		step(id, 1).expectStatus().isEqualTo(503).expectHeader().valueEquals("Retry-After", "1");
		await().atMost(10, TimeUnit.SECONDS)
			.until(() -> this.log.states().contains(ReadinessState.REFUSING_TRAFFIC)
					&& this.log.states().get(this.log.states().size() - 1) == ReadinessState.ACCEPTING_TRAFFIC);
		Health health = this.health.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("alive", 1).containsEntry("deaths", 1L);
		this.client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		this.client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		// the error came before the commit: the retry takes the step
		step(id, 1).expectStatus().isOk().expectBody().jsonPath("$.replayed").isEqualTo(false);
		step(id, 2).expectStatus().isOk().expectBody().jsonPath("$.last_epoch").isEqualTo(2);
	}

	@Test
	void aStepWhoseCommitOutlastsTheTimeoutIs503AndItsRetryAReplay() {
		String id = register();
		this.committer.hold = new CountDownLatch(1);
		step(id, 1).expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals("Retry-After", "1")
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("https://stepwise.dev/problems/service-unavailable")
			.jsonPath("$.detail")
			.value(String.class, (detail) -> assertThat(detail).contains("Retry with the same epoch"));
		this.committer.release();
		await().atMost(10, TimeUnit.SECONDS)
			.untilAsserted(() -> this.client.get()
				.uri("/api/v1/schedulers/" + id + "/lr")
				.exchange()
				.expectBody()
				.jsonPath("$.last_epoch")
				.isEqualTo(1));
		step(id, 1).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.replayed")
			.isEqualTo(true)
			.jsonPath("$.last_epoch")
			.isEqualTo(1);
	}

	private String register() {
		return TestSchedulers.registerStepLR(this.client, "faults-");
	}

	private RestTestClient.ResponseSpec step(String id, int epoch) {
		return this.client.post()
			.uri("/api/v1/schedulers/" + id + "/steps")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"epoch\": " + epoch + "}")
			.exchange();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Faults {

		@Bean
		@Primary
		FaultyCommitter faultyCommitter(JdbcTemplate jdbc, SchedulerRows schedulers, SchedulerStepRows steps,
				SchedulerAttemptRows attempts, SchedulerCache cache, SchedulerStore store,
				TransactionTemplate transaction) {
			return new FaultyCommitter(jdbc, schedulers, steps, attempts, cache, store, transaction);
		}

		@Bean
		ReadinessLog readinessLog() {
			return new ReadinessLog(new CopyOnWriteArrayList<>());
		}

		@Bean
		ApplicationListener<AvailabilityChangeEvent<ReadinessState>> readinessRecorder(ReadinessLog log) {
			return (event) -> log.states().add(event.getState());
		}

	}

	/** The readiness states published, in order. */
	record ReadinessLog(List<ReadinessState> states) {

	}

	/** The real committer, which throws an error or waits when the test says so. */
	static class FaultyCommitter extends StepCommitter {

		volatile @Nullable Error errorOnce;

		volatile @Nullable CountDownLatch hold;

		FaultyCommitter(JdbcTemplate jdbc, SchedulerRows schedulers, SchedulerStepRows steps,
				SchedulerAttemptRows attempts, SchedulerCache cache, SchedulerStore store,
				TransactionTemplate transaction) {
			super(jdbc, schedulers, steps, attempts, cache, store, transaction);
		}

		@Override
		void commit(List<PendingStep> steps) {
			Error error = this.errorOnce;
			if (error != null) {
				this.errorOnce = null;
				throw error;
			}
			CountDownLatch hold = this.hold;
			if (hold != null) {
				try {
					hold.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			super.commit(steps);
		}

		void release() {
			CountDownLatch hold = this.hold;
			this.hold = null;
			if (hold != null) {
				hold.countDown();
			}
		}

	}

}
