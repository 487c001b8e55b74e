package dev.stepwise.production;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import dev.stepwise.OnEveryDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of the service on one PostgreSQL database, as behind a load balancer: the
 * ranks of a distributed job post the same epochs, each to a different replica, in a
 * random order.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@OnEveryDatabase
class ReplicasIT {

	private static final int SCHEDULERS = 50;

	private static final int EPOCHS = 40;

	private static final int CLIENT_THREADS = 32;

	private final Api api = new Api();

	@Test
	void everyEpochIsAppliedExactlyOnceAndIsVisibleOnBothReplicas() throws Exception {
		Database database = Database.postgresOrAbort();
		Path data = Files.createDirectories(ServiceProcess.WORK).resolve("replicas-" + System.nanoTime());
		CompletableFuture<ServiceProcess> startA = startAsync("replicas-a", data.resolve("a"), database);
		CompletableFuture<ServiceProcess> startB = startAsync("replicas-b", data.resolve("b"), database);
		try (ServiceProcess a = startA.join(); ServiceProcess b = startB.join()) {
			URI[] replicas = { a.base(), b.base() };
			String run = "replicas-" + Long.toHexString(System.nanoTime());
			SplittableRandom random = new SplittableRandom();

			// Every rank registers: the first registration creates, the identical second
			// answers 200.
			Map<Workload.Kind, List<List<Api.Group>>> reference = new HashMap<>();
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < SCHEDULERS; i++) {
				Workload.Kind kind = Workload.KINDS.get(i % Workload.KINDS.size());
				String id = run + "-" + i;
				ids.add(id);
				int first = random.nextInt(2);
				Api.Response created = this.api.post(replicas[first], "/api/v1/schedulers", kind.registration(id));
				assertThat(created.status())
					.as("registration of %s (%s) on replica %d: %s", id, kind.name(), first, created)
					.isEqualTo(201);
				Api.Response again = this.api.post(replicas[1 - first], "/api/v1/schedulers", kind.registration(id));
				assertThat(again.status()).as("identical registration of %s on the other replica: %s", id, again)
					.isEqualTo(200);
				if (!reference.containsKey(kind)) {
					reference.put(kind, kind.preview(this.api, replicas[random.nextInt(2)], EPOCHS));
				}
				assertThat(Api.groups(created.json())).as("registered state of %s", id)
					.isEqualTo(reference.get(kind).get(0));
			}

			Queue<String> failures = new ConcurrentLinkedQueue<>();
			Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
			AtomicIntegerArray applied = new AtomicIntegerArray(SCHEDULERS * (EPOCHS + 1));
			long seed = random.nextLong();
			ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
			try {
				List<Future<?>> ranks = new ArrayList<>();
				for (int i = 0; i < SCHEDULERS; i++) {
					for (int rank = 0; rank < 2; rank++) {
						int scheduler = i;
						int r = rank;
						ranks.add(clients.submit(() -> {
							runRank(replicas, ids.get(scheduler), scheduler, r, seed,
									reference.get(Workload.KINDS.get(scheduler % Workload.KINDS.size())), applied,
									statuses, failures);
							return null;
						}));
					}
				}
				for (Future<?> rank : ranks) {
					rank.get(5, TimeUnit.MINUTES);
				}
			}
			finally {
				clients.shutdownNow();
			}
			System.out.printf("%d schedulers x %d epochs, each epoch posted to both replicas by %d client threads: "
					+ "statuses %s%n", SCHEDULERS, EPOCHS, CLIENT_THREADS, statuses);
			assertThat(failures).as("failures (statuses seen: %s); logs: %s, %s", statuses, a, b).isEmpty();
			assertThat(statuses.keySet()).as("statuses").containsOnly(200);

			for (int i = 0; i < SCHEDULERS; i++) {
				for (int epoch = 1; epoch <= EPOCHS; epoch++) {
					assertThat(applied.get(i * (EPOCHS + 1) + epoch))
						.as("answers with replayed=false for %s epoch %d", ids.get(i), epoch)
						.isEqualTo(1);
				}
			}

			for (int i = 0; i < SCHEDULERS; i++) {
				String id = ids.get(i);
				Workload.Kind kind = Workload.KINDS.get(i % Workload.KINDS.size());
				List<List<Api.Group>> expected = reference.get(kind);
				for (URI replica : replicas) {
					Api.Response lr = this.api.get(replica, "/api/v1/schedulers/" + id + "/lr");
					assertThat(lr.status()).as("GET lr of %s on %s: %s", id, replica, lr).isEqualTo(200);
					assertThat(lr.json().path("last_epoch").asLong()).as("last_epoch of %s", id).isEqualTo(EPOCHS);
					assertThat(Api.groups(lr.json())).as("lr of %s on %s", id, replica).isEqualTo(expected.get(EPOCHS));

					List<JsonNode> history = this.api.history(replica, id);
					assertThat(history).as("history of %s on %s", id, replica).hasSize(EPOCHS + 1);
					for (int epoch = 0; epoch <= EPOCHS; epoch++) {
						JsonNode record = history.get(epoch);
						assertThat(record.path("epoch").asLong()).as("history of %s: record %d", id, epoch)
							.isEqualTo(epoch);
						assertThat(Api.groups(record)).as("history of %s at epoch %d (%s)", id, epoch, kind.name())
							.isEqualTo(expected.get(epoch));
						if (epoch > 0) {
							assertThat(record.path("metric").asDouble()).as("metric of %s at epoch %d", id, epoch)
								.isEqualTo(Workload.metric(epoch));
						}
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
	 * One rank of a distributed job: steps epochs 1..EPOCHS in order; epoch k goes to the
	 * replica the other rank does not use for k. After a step it took, the other replica
	 * must already show it.
	 */
	private void runRank(URI[] replicas, String id, int scheduler, int rank, long seed, List<List<Api.Group>> expected,
			AtomicIntegerArray applied, Map<Integer, AtomicInteger> statuses, Queue<String> failures) {
		try {
			for (int epoch = 1; epoch <= EPOCHS; epoch++) {
				int replica = (new SplittableRandom(seed ^ (scheduler * 1_000_003L + epoch)).nextInt(2)) ^ rank;
				Api.Response response = this.api.post(replicas[replica], "/api/v1/schedulers/" + id + "/steps",
						Api.step(epoch, Workload.metric(epoch)));
				statuses.computeIfAbsent(response.status(), (status) -> new AtomicInteger()).incrementAndGet();
				if (response.status() != 200) {
					failures.add(id + " rank " + rank + " epoch " + epoch + " on replica " + replica + ": " + response);
					return;
				}
				if (response.json().path("last_epoch").asLong() != epoch
						|| !Api.groups(response.json()).equals(expected.get(epoch))) {
					failures.add(id + " rank " + rank + " epoch " + epoch + ": state " + response.body()
							+ " differs from the reference " + expected.get(epoch));
				}
				JsonNode replayed = response.json().path("replayed");
				if (!replayed.isBoolean()) {
					failures.add(id + " epoch " + epoch + ": no boolean 'replayed' in " + response.body());
				}
				else if (!replayed.asBoolean()) {
					applied.incrementAndGet(scheduler * (EPOCHS + 1) + epoch);
					Api.Response other = this.api.get(replicas[1 - replica], "/api/v1/schedulers/" + id + "/lr");
					if (other.status() != 200 || other.json().path("last_epoch").asLong() < epoch) {
						failures.add(id + " epoch " + epoch + " taken on replica " + replica
								+ " is not visible on the other one: " + other);
					}
				}
			}
		}
		catch (Exception ex) {
			failures.add(id + " rank " + rank + ": " + ex);
		}
	}

	static CompletableFuture<ServiceProcess> startAsync(String name, Path dataDir, Database database) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				return ServiceProcess.start(name, dataDir, database);
			}
			catch (Exception ex) {
				throw new IllegalStateException("could not start " + name, ex);
			}
		});
	}

	static void closeQuietly(ServiceProcess service) {
		try {
			service.close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
