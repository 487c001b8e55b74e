package dev.stepwise.production;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import dev.stepwise.OnEveryDatabase;
import dev.stepwise.schedule.ParamGroup;
import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleAmendment;
import dev.stepwise.schedule.ScheduleState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Amendments on two replicas of the service on one PostgreSQL database: both ranks of
 * each job post the same pending amendment at once, each to a different replica, then
 * step every epoch through random replicas. Each amendment is recorded once and applied
 * once, at its epoch, and every rank on either replica reads the amended lrs from there
 * on. The reference is the engine's own amended schedule.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@OnEveryDatabase
class AmendmentReplicasIT {

	private static final int JOBS = 12;

	private static final int EPOCHS = 30;

	private static final List<ParamGroup> GROUPS = List.of(new ParamGroup(0.1, 0.9), new ParamGroup(0.01, 0.9));

	private final Api api = new Api();

	/**
	 * A job: its registration, its amendment and the epoch of it.
	 */
	private record Job(Map<String, Object> scheduler, Map<String, Object> amendment, long atEpoch,
			ScheduleAmendment.Change change) {
	}

	private static Job job(int i) {
		if (i % 2 == 0) {
			// a WSD run decays from epoch 10 instead of 90
			return new Job(
					Map.of("type", "warmup_stable_decay", "num_warmup_steps", 3L, "num_decay_steps", 10L,
							"num_training_steps", 100L),
					Map.of("amendment_id", "decay", "at_epoch", 10L, "decay_now",
							Map.of("decay_steps", 8L, "decay_type", "cosine", "min_lr_ratio", 0.1)),
					10, new ScheduleAmendment.DecayNow(8, "cosine", 0.1));
		}
		// a OneCycleLR of 20 steps goes on to 30
		return new Job(Map.of("type", "OneCycleLR", "max_lr", List.of(0.1, 0.01), "total_steps", 20L),
				Map.of("amendment_id", "longer", "at_epoch", 15L, "extend", Map.of("total_steps", 30L)), 15,
				new ScheduleAmendment.Extend("total_steps", 30));
	}

	/** The lrs of epochs 0..EPOCHS of a job, by the engine. */
	private static List<List<Api.Group>> reference(Job job) {
		Schedule schedule = Schedule.of(job.scheduler(), GROUPS);
		ScheduleState state = schedule.start(0);
		List<List<Api.Group>> lrs = new ArrayList<>();
		for (int epoch = 0; epoch <= EPOCHS; epoch++) {
			if (epoch > 0) {
				state = schedule.step(state, null);
			}
			if (epoch == job.atEpoch()) {
				ScheduleAmendment.Amended amended = ScheduleAmendment.amend(schedule, state, job.change(), true,
						GROUPS);
				schedule = amended.schedule();
				state = amended.state();
			}
			List<Api.Group> groups = new ArrayList<>();
			for (ParamGroup group : state.paramGroups()) {
				groups.add(new Api.Group(group.lr(), group.momentum()));
			}
			lrs.add(groups);
		}
		return lrs;
	}

	@Test
	void eachAmendmentIsAppliedOnceAtItsEpochAndEveryRankOnEitherReplicaSeesIt() throws Exception {
		Database database = Database.postgresOrAbort();
		Path data = Files.createDirectories(ServiceProcess.WORK).resolve("amend-replicas-" + System.nanoTime());
		CompletableFuture<ServiceProcess> startA = ReplicasIT.startAsync("amend-replicas-a", data.resolve("a"),
				database);
		CompletableFuture<ServiceProcess> startB = ReplicasIT.startAsync("amend-replicas-b", data.resolve("b"),
				database);
		try (ServiceProcess a = startA.join(); ServiceProcess b = startB.join()) {
			URI[] replicas = { a.base(), b.base() };
			String run = "amend-" + Long.toHexString(System.nanoTime());
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < JOBS; i++) {
				String id = run + "-" + i;
				ids.add(id);
				Api.Response created = this.api.post(replicas[i % 2], "/api/v1/schedulers",
						Map.of("id", id, "param_groups",
								List.of(Map.of("lr", 0.1, "momentum", 0.9), Map.of("lr", 0.01, "momentum", 0.9)),
								"scheduler", job(i).scheduler()));
				assertThat(created.status()).as("registration of %s: %s", id, created).isEqualTo(201);
			}
			Queue<String> failures = new ConcurrentLinkedQueue<>();
			AtomicIntegerArray recorded = new AtomicIntegerArray(JOBS);
			AtomicIntegerArray applied = new AtomicIntegerArray(JOBS * (EPOCHS + 1));
			long seed = new SplittableRandom().nextLong();
			CountDownLatch go = new CountDownLatch(1);
			ExecutorService ranks = Executors.newFixedThreadPool(2 * JOBS);
			try {
				List<Future<?>> running = new ArrayList<>();
				for (int i = 0; i < JOBS; i++) {
					for (int rank = 0; rank < 2; rank++) {
						int job = i;
						int r = rank;
						running.add(ranks.submit(() -> {
							go.await();
							runRank(replicas, ids.get(job), job, r, seed, recorded, applied, failures);
							return null;
						}));
					}
				}
				go.countDown();
				for (Future<?> rank : running) {
					rank.get(5, TimeUnit.MINUTES);
				}
			}
			finally {
				ranks.shutdownNow();
			}
			assertThat(failures).as("failures; logs: %s, %s", a, b).isEmpty();
			for (int i = 0; i < JOBS; i++) {
				assertThat(recorded.get(i)).as("201 answers to the amendment of %s", ids.get(i)).isEqualTo(1);
				for (int epoch = 1; epoch <= EPOCHS; epoch++) {
					assertThat(applied.get(i * (EPOCHS + 1) + epoch)).as("%s epoch %d taken", ids.get(i), epoch)
						.isEqualTo(1);
				}
			}
			for (int i = 0; i < JOBS; i++) {
				String id = ids.get(i);
				List<List<Api.Group>> expected = reference(job(i));
				for (URI replica : replicas) {
					JsonNode scheduler = this.api.get(replica, "/api/v1/schedulers/" + id).json();
					assertThat(scheduler.path("amendments")).as("amendments of %s", id).hasSize(1);
					assertThat(scheduler.path("amendments").path(0).path("status").asString()).isEqualTo("applied");
					assertThat(scheduler.path("amendments").path(0).path("at_epoch").asLong())
						.isEqualTo(job(i).atEpoch());
					List<JsonNode> history = this.api.history(replica, id);
					assertThat(history).as("history of %s", id).hasSize(EPOCHS + 1);
					for (int epoch = 0; epoch <= EPOCHS; epoch++) {
						assertThat(Api.groups(history.get(epoch))).as("history of %s at %d", id, epoch)
							.isEqualTo(expected.get(epoch));
					}
				}
			}
		}
		finally {
			startA.thenAccept(ReplicasIT::closeQuietly);
			startB.thenAccept(ReplicasIT::closeQuietly);
		}
	}

	/**
	 * One rank: posts the job's amendment to its replica (both ranks at once), then steps
	 * epochs 1..EPOCHS on random replicas, each answer checked against the reference and
	 * the other replica's lr after each step it took.
	 */
	private void runRank(URI[] replicas, String id, int job, int rank, long seed, AtomicIntegerArray recorded,
			AtomicIntegerArray applied, Queue<String> failures) {
		List<List<Api.Group>> expected = reference(job(job));
		try {
			Api.Response amended = this.api.post(replicas[rank], "/api/v1/schedulers/" + id + "/amendments",
					job(job).amendment());
			if (amended.status() == 201) {
				recorded.incrementAndGet(job);
			}
			else if (amended.status() != 200) {
				failures.add(id + " rank " + rank + " amendment: " + amended);
				return;
			}
			for (int epoch = 1; epoch <= EPOCHS; epoch++) {
				int replica = new SplittableRandom(seed ^ (job * 1_000_003L + epoch)).nextInt(2) ^ rank;
				Api.Response response = this.api.post(replicas[replica], "/api/v1/schedulers/" + id + "/steps",
						Map.of("epoch", epoch));
				if (response.status() != 200) {
					failures.add(id + " rank " + rank + " epoch " + epoch + ": " + response);
					return;
				}
				if (!Api.groups(response.json()).equals(expected.get(epoch))) {
					failures.add(id + " epoch " + epoch + ": " + response.body() + " is not " + expected.get(epoch));
				}
				if (!response.json().path("replayed").asBoolean()) {
					applied.incrementAndGet(job * (EPOCHS + 1) + epoch);
					Api.Response other = this.api.get(replicas[1 - replica], "/api/v1/schedulers/" + id + "/lr");
					if (other.json().path("last_epoch").asLong() < epoch
							|| (other.json().path("last_epoch").asLong() == epoch
									&& !Api.groups(other.json()).equals(expected.get(epoch)))) {
						failures.add(id + " epoch " + epoch + " on the other replica: " + other);
					}
				}
			}
		}
		catch (Exception ex) {
			failures.add(id + " rank " + rank + ": " + ex);
		}
	}

}
