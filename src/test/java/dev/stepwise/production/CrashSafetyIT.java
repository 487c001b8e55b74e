package dev.stepwise.production;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.stepwise.OnEveryDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service is SIGKILLed while trainers post steps, then restarted on the same
 * database: every acknowledged step must still be there, nothing may be half-written, and
 * the trainers carry on. And a service stopped the ordinary way finds every scheduler
 * again, state for state, when it starts again on the same database.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@OnEveryDatabase
class CrashSafetyIT {

	private static final int SCHEDULERS = 16;

	/** Acknowledged steps (over all schedulers) before the kill. */
	private static final int ACKS_BEFORE_KILL = 400;

	private static final long MAX_LOAD_MILLIS = 60_000;

	private static final int STEPS_AFTER_RESTART = 5;

	private final Api api = new Api();

	@Test
	void acknowledgedStepsSurviveSigkillOnH2File() throws Exception {
		crashAndRecover(Database.h2());
	}

	@Test
	void acknowledgedStepsSurviveSigkillOnPostgres() throws Exception {
		crashAndRecover(Database.postgresOrAbort());
	}

	/**
	 * A graceful stop (SIGTERM) and a start on the same database (the H2 file, or
	 * PostgreSQL when the build is pointed at it): the scheduler is intact, to the byte
	 * of its state document.
	 */
	@Test
	void schedulerSurvivesAGracefulRestart() throws Exception {
		Database database = Database.configured();
		Path data = Files.createDirectories(ServiceProcess.WORK).resolve("restart-" + System.nanoTime());
		String id = "durable-" + Long.toHexString(System.nanoTime());
		String path = "/api/v1/schedulers/" + id;
		Map<String, Object> metric = Map.of("metric", 1.0);
		String state;
		try (ServiceProcess first = ServiceProcess.start("restart-1-" + id, data, database)) {
			Api.Response registered = this.api.post(first.base(), "/api/v1/schedulers", Map.of("id", id, "param_groups",
					List.of(Map.of("lr", 1.0)), "scheduler", Map.of("type", "ReduceLROnPlateau", "patience", 0)));
			assertThat(registered.status()).as("registration: %s", registered).isEqualTo(201);
			for (int epoch = 1; epoch <= 5; epoch++) {
				Api.Response step = this.api.post(first.base(), path + "/steps", metric);
				assertThat(step.status()).as("step %d: %s", epoch, step).isEqualTo(200);
			}
			state = this.api.get(first.base(), path + "/state").body();
		}
		try (ServiceProcess second = ServiceProcess.start("restart-2-" + id, data, database)) {
			Api.Response lr = this.api.get(second.base(), path + "/lr");
			assertThat(lr.status()).as("GET lr after the restart: %s; %s", lr, second).isEqualTo(200);
			assertThat(lr.json().path("last_epoch").asLong()).isEqualTo(5);
			assertThat(Api.groups(lr.json()).get(0).lr()).isEqualTo(1.0000000000000003E-4);
			assertThat(this.api.get(second.base(), path + "/state").body()).isEqualTo(state);
			assertThat(this.api.get(second.base(), path + "/history").json().path("items")).hasSize(6);
			Api.Response replay = this.api.post(second.base(), path + "/steps", Api.step(5, 1.0));
			assertThat(replay.json().path("replayed").asBoolean()).as("replay of epoch 5: %s", replay).isTrue();
			Api.Response next = this.api.post(second.base(), path + "/steps", metric);
			assertThat(next.json().path("last_epoch").asLong()).as("next step: %s", next).isEqualTo(6);
			assertThat(Api.groups(next.json()).get(0).lr()).isEqualTo(1.0000000000000004E-5);
		}
	}

	/** What one trainer saw before the crash. */
	private static final class Trainer {

		final String id;

		final Workload.Kind kind;

		/** Acknowledged epochs (200) and the param groups the service answered with. */
		final Map<Long, List<Api.Group>> acknowledged = new ConcurrentHashMap<>();

		final AtomicLong lastAcknowledged = new AtomicLong();

		Trainer(String id, Workload.Kind kind) {
			this.id = id;
			this.kind = kind;
		}

	}

	private void crashAndRecover(Database database) throws Exception {
		Path data = Files.createDirectories(ServiceProcess.WORK)
			.resolve("crash-" + database.name() + "-" + System.nanoTime());
		String run = "crash-" + database.name() + "-" + Long.toHexString(System.nanoTime());
		List<Trainer> trainers = new ArrayList<>();
		Queue<String> failures = new ConcurrentLinkedQueue<>();
		AtomicInteger acks = new AtomicInteger();

		ServiceProcess first = ServiceProcess.start(run + "-1", data, database);
		try {
			for (int i = 0; i < SCHEDULERS; i++) {
				Workload.Kind kind = Workload.KINDS.get(i % Workload.KINDS.size());
				Trainer trainer = new Trainer(run + "-" + i, kind);
				Api.Response created = this.api.post(first.base(), "/api/v1/schedulers", kind.registration(trainer.id));
				assertThat(created.status()).as("registration of %s (%s): %s", trainer.id, kind.name(), created)
					.isEqualTo(201);
				trainers.add(trainer);
			}

			ExecutorService clients = Executors.newFixedThreadPool(SCHEDULERS);
			try {
				List<Future<?>> running = new ArrayList<>();
				for (Trainer trainer : trainers) {
					running.add(clients.submit(() -> {
						train(first.base(), trainer, acks, failures);
						return null;
					}));
				}
				long deadline = System.currentTimeMillis() + MAX_LOAD_MILLIS;
				while (acks.get() < ACKS_BEFORE_KILL && System.currentTimeMillis() < deadline && failures.isEmpty()) {
					Thread.sleep(10);
				}
				assertThat(failures).as("failures under load before the kill; %s", first).isEmpty();
				first.kill();
				for (Future<?> trainer : running) {
					trainer.get(2, TimeUnit.MINUTES);
				}
			}
			finally {
				clients.shutdownNow();
			}
		}
		finally {
			first.kill();
		}
		assertThat(failures).as("failures under load; %s", first).isEmpty();
		assertThat(acks.get()).as("acknowledged steps before the kill (too few means the load never ran)")
			.isGreaterThanOrEqualTo(SCHEDULERS);

		try (ServiceProcess second = ServiceProcess.start(run + "-2", data, database)) {
			int inFlightApplied = 0;
			for (Trainer trainer : trainers) {
				inFlightApplied += verifyRecovered(second.base(), trainer, second) ? 1 : 0;
			}
			System.out.printf(
					"%s: SIGKILL after %d acknowledged steps of %d schedulers; after the restart %d of "
							+ "the steps in flight were found applied, the others not; all %d trainers carried on%n",
					database.name(), acks.get(), SCHEDULERS, inFlightApplied, SCHEDULERS);
		}
	}

	/** Posts epochs 1, 2, ... until the service goes away; records every 200. */
	private void train(URI base, Trainer trainer, AtomicInteger acks, Queue<String> failures) {
		for (long epoch = 1; epoch < 100_000; epoch++) {
			Api.Response response;
			try {
				response = this.api.post(base, "/api/v1/schedulers/" + trainer.id + "/steps",
						Api.step(epoch, Workload.metric(epoch)));
			}
			catch (IOException | InterruptedException ex) {
				return; // the service died under us: this step is in flight, neither
						// acknowledged nor refused
			}
			if (response.status() != 200 || response.json().path("last_epoch").asLong() != epoch
					|| !response.json().path("replayed").isBoolean() || response.json().path("replayed").asBoolean()) {
				failures.add(trainer.id + " epoch " + epoch + ": " + response);
				return;
			}
			trainer.acknowledged.put(epoch, Api.groups(response.json()));
			trainer.lastAcknowledged.set(epoch);
			acks.incrementAndGet();
		}
	}

	/**
	 * Checks one scheduler after the restart and carries on stepping it.
	 * @return whether the step in flight at the kill had been applied
	 */
	private boolean verifyRecovered(URI base, Trainer trainer, ServiceProcess service) throws Exception {
		String id = trainer.id;
		String path = "/api/v1/schedulers/" + id;
		long acknowledged = trainer.lastAcknowledged.get();

		Api.Response lr = this.api.get(base, path + "/lr");
		assertThat(lr.status()).as("GET lr of %s after restart: %s; %s", id, lr, service).isEqualTo(200);
		long lastEpoch = lr.json().path("last_epoch").asLong();
		assertThat(lastEpoch)
			.as("last_epoch of %s after restart (last acknowledged %d, one step may have been in flight)", id,
					acknowledged)
			.isBetween(acknowledged, acknowledged + 1);

		List<List<Api.Group>> reference = trainer.kind.preview(this.api, base,
				(int) acknowledged + 1 + STEPS_AFTER_RESTART);

		List<JsonNode> history = this.api.history(base, id);
		assertThat(history).as("history of %s: epochs 0..%d", id, lastEpoch).hasSize((int) lastEpoch + 1);
		for (int epoch = 0; epoch <= lastEpoch; epoch++) {
			JsonNode record = history.get(epoch);
			assertThat(record.path("epoch").asLong()).as("history of %s, record %d", id, epoch).isEqualTo(epoch);
			List<Api.Group> groups = Api.groups(record);
			assertThat(groups)
				.as("history of %s at epoch %d: as an uninterrupted run (%s)", id, epoch, trainer.kind.name())
				.isEqualTo(reference.get(epoch));
			if (epoch > 0) {
				assertThat(record.path("metric").asDouble()).as("metric of %s at epoch %d", id, epoch)
					.isEqualTo(Workload.metric(epoch));
			}
			List<Api.Group> answered = trainer.acknowledged.get((long) epoch);
			if (answered != null) {
				assertThat(groups).as("history of %s at acknowledged epoch %d", id, epoch).isEqualTo(answered);
			}
		}
		assertThat(Api.groups(lr.json())).as("GET lr of %s agrees with its last history record", id)
			.isEqualTo(Api.groups(history.get((int) lastEpoch)));

		Api.Response resource = this.api.get(base, path);
		assertThat(resource.status()).as("GET %s: %s", path, resource).isEqualTo(200);
		assertThat(resource.json().path("last_epoch").asLong()).as("last_epoch of the resource %s", id)
			.isEqualTo(lastEpoch);
		assertThat(Api.groups(resource.json())).as("param groups of the resource %s", id)
			.isEqualTo(Api.groups(lr.json()));

		Api.Response state = this.api.get(base, path + "/state");
		assertThat(state.status()).as("GET state of %s: %s", id, state).isEqualTo(200);
		assertThat(state.json().isObject()).as("state document of %s is a JSON object: %s", id, state).isTrue();
		assertThat(state.json().path("last_epoch").asLong()).as("state document's last_epoch of %s: %s", id, state)
			.isEqualTo(lastEpoch);
		JsonNode lastLr = state.json().path("_last_lr");
		if (lastLr.isArray()) {
			List<Double> lrs = new ArrayList<>();
			lastLr.forEach((value) -> lrs.add(value.asDouble()));
			assertThat(lrs).as("state document's _last_lr of %s agrees with its param groups", id)
				.isEqualTo(Api.groups(lr.json()).stream().map(Api.Group::lr).toList());
		}

		// The trainer retries the step that was in flight, then carries on.
		for (long epoch = acknowledged + 1; epoch <= acknowledged + 1 + STEPS_AFTER_RESTART; epoch++) {
			Api.Response step = this.api.post(base, path + "/steps", Api.step(epoch, Workload.metric(epoch)));
			assertThat(step.status()).as("step %d of %s after restart: %s", epoch, id, step).isEqualTo(200);
			assertThat(step.json().path("last_epoch").asLong()).as("step %d of %s after restart", epoch, id)
				.isEqualTo(epoch);
			assertThat(step.json().path("replayed").asBoolean()).as("replayed for step %d of %s", epoch, id)
				.isEqualTo(epoch <= lastEpoch);
			assertThat(Api.groups(step.json())).as("step %d of %s after restart", epoch, id)
				.isEqualTo(reference.get((int) epoch));
		}
		return lastEpoch > acknowledged;
	}

}
