package dev.stepwise.production;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database's disk fills up under the service: steps answer 503 problems with
 * Retry-After (never 500), reads go on, and once space is back the steps succeed again
 * without a restart, every acknowledged step in the history once, and no step
 * half-written (each scheduler stands where its last history record says). On H2, the
 * service's data directory is on a small file system of its own
 * ({@code -Dstepwise.test.small-disk=DIR}); on PostgreSQL, the cluster's data directory,
 * WAL included, is ({@code -Dstepwise.test.small-disk.postgres=DIR}, a directory this
 * test may write to on that file system, and {@code STEPWISE_DATABASE_URL},
 * {@code _USERNAME}, {@code _PASSWORD} naming a database of that cluster).
 * {@code .ci/run} mounts a tmpfs for each, so that filling them disturbs nothing else.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DiskFullIT {

	static final String SMALL_DISK = "stepwise.test.small-disk";

	static final String SMALL_DISK_POSTGRES = "stepwise.test.small-disk.postgres";

	private static final int SCHEDULERS = 4;

	/** Steps posted into the full disk before giving up on seeing it refuse one. */
	private static final int MAX_STEPS_TO_FAIL = 20_000;

	private static final long RECOVERY_SECONDS = 60;

	private final Api api = new Api();

	/** The epoch to post next, per scheduler. */
	private final Map<String, Long> next = new LinkedHashMap<>();

	/** The statuses GET lr answered while the disk was full, and how often. */
	private final Map<Integer, Integer> reads = new TreeMap<>();

	@Test
	@EnabledIfSystemProperty(named = SMALL_DISK, matches = ".+")
	void onH2() throws Exception {
		Path disk = Path.of(System.getProperty(SMALL_DISK));
		// H2 closes the database after a failed write and opens it again for the next
		// connection: a read answers, or is a 503 problem while it cannot
		fillAndRecover("disk-full-h2", Database.h2(), disk.resolve("data-" + System.nanoTime()), disk, false,
				(base) -> "H2 closes its database and reopens it");
	}

	@Test
	@EnabledIfSystemProperty(named = SMALL_DISK_POSTGRES, matches = ".+")
	void onPostgres() throws Exception {
		Database database = Database.postgresOrAbort();
		Path disk = Path.of(System.getProperty(SMALL_DISK_POSTGRES));
		fillAndRecover("disk-full-postgres", database, ServiceProcess.WORK.resolve("data-" + System.nanoTime()), disk,
				true, this::crashPostgres);
	}

	/**
	 * Registers and steps a few schedulers, fills the disk, steps until a step is
	 * refused, lets {@code whileFull} do its worst, removes the ballast and checks that
	 * the steps come back, and what the history holds.
	 * @param readsStay whether GET lr answers 200 on the full disk, until
	 * {@code whileFull} (after which it may be a 503 problem until space is back);
	 * otherwise it may be a 503 problem throughout
	 */
	private void fillAndRecover(String name, Database database, Path dataDir, Path disk, boolean readsStay,
			WhileFull whileFull) throws Exception {
		Path ballast = disk.resolve("ballast-" + System.nanoTime());
		try (ServiceProcess service = ServiceProcess.start(name, dataDir, database)) {
			URI base = service.base();
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < SCHEDULERS; i++) {
				Workload.Kind kind = Workload.KINDS.get(i % Workload.KINDS.size());
				String id = name + "-" + System.nanoTime() + "-" + i;
				Api.Response created = this.api.post(base, "/api/v1/schedulers", kind.registration(id));
				assertThat(created.status()).as("registration of %s: %s", id, created).isEqualTo(201);
				ids.add(id);
				this.next.put(id, 1L);
			}
			for (int round = 0; round < 5; round++) {
				for (String id : ids) {
					assertThat(step(base, id).status()).isEqualTo(200);
				}
			}

			String used = String.format("%.1f of %.1f MB", used(disk) / 1e6,
					Files.getFileStore(disk).getTotalSpace() / 1e6);
			fill(ballast);
			// the database writes into free space of its files first: step until it needs
			// more
			Api.Response refused = null;
			int steps = 0;
			while (steps < MAX_STEPS_TO_FAIL && refused == null) {
				Api.Response response = step(base, ids.get(steps++ % SCHEDULERS));
				if (response.status() != 200) {
					refused = response;
				}
			}
			assertThat(refused).as("a step refused on the full disk; %s", service).isNotNull();
			assertProblem503(refused);
			stepAndReadEach(base, ids, readsStay ? 200 : 503);
			String worst = whileFull.run(base);
			stepAndReadEach(base, ids, 503);

			Files.delete(ballast);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RECOVERY_SECONDS);
			for (String id : ids) {
				Api.Response response = step(base, id);
				while (response.status() != 200 && System.nanoTime() < deadline) {
					assertProblem503(response);
					Thread.sleep(200);
					response = step(base, id);
				}
				assertThat(response.status()).as("a step of %s once space is back: %s; %s", id, response, service)
					.isEqualTo(200);
			}
			for (String id : ids) {
				assertNothingHalfWritten(base, id);
			}
			System.out.printf(
					"%s: %s of the disk used before the ballast; first refusal after %d steps on the full disk: "
							+ "%s; then %s; GET lr on the full disk answered %s; steps back after the ballast went, "
							+ "acknowledged epochs %s%n",
					name, used, steps, refused.status(), worst, this.reads, this.next);
		}
		finally {
			Files.deleteIfExists(ballast);
		}
	}

	/**
	 * Steps each scheduler and reads its lr: a step answers 200 or a 503 problem, a read
	 * 200 or, where {@code worstRead} allows, a 503 problem.
	 */
	private void stepAndReadEach(URI base, List<String> ids, int worstRead) throws Exception {
		for (String id : ids) {
			Api.Response again = step(base, id);
			if (again.status() != 200) {
				assertProblem503(again);
			}
			Api.Response lr = this.api.get(base, "/api/v1/schedulers/" + id + "/lr");
			this.reads.merge(lr.status(), 1, Integer::sum);
			if (lr.status() != 200) {
				assertThat(worstRead).as("GET lr of %s on the full disk: %s", id, lr).isEqualTo(503);
				assertProblem503(lr);
			}
		}
	}

	/**
	 * Asks PostgreSQL for a checkpoint, which it cannot write on the full disk: the
	 * checkpointer PANICs and the postmaster restarts the cluster, as after a failed WAL
	 * write. When the crash recovery cannot write either, the postmaster exits, and its
	 * supervisor starts it again until there is space ({@code .ci/run} runs it under
	 * one). Needs the {@code pg_checkpoint} role ({@code .ci/run} grants it).
	 * @return what happened
	 */
	private String crashPostgres(URI base) throws SQLException {
		try (Connection connection = DriverManager.getConnection(System.getenv(Database.URL_VARIABLE),
				System.getenv("STEPWISE_DATABASE_USERNAME"), System.getenv("STEPWISE_DATABASE_PASSWORD"));
				Statement statement = connection.createStatement()) {
			statement.execute("CHECKPOINT");
			return "CHECKPOINT on the full disk succeeded (no crash of PostgreSQL)";
		}
		catch (SQLException ex) {
			String state = String.valueOf(ex.getSQLState());
			boolean crashed = state.startsWith("08") || state.startsWith("57P");
			return "CHECKPOINT on the full disk failed: " + state + " " + ex.getMessage().strip()
					+ (crashed ? " (PostgreSQL crashed)" : "");
		}
	}

	/**
	 * Posts the scheduler's next epoch; moves on only when it is acknowledged (a refused
	 * epoch is retried with the same number).
	 */
	private Api.Response step(URI base, String id) throws IOException, InterruptedException {
		long epoch = this.next.get(id);
		Api.Response response = this.api.post(base, "/api/v1/schedulers/" + id + "/steps",
				Api.step(epoch, Workload.metric(epoch)));
		if (response.status() == 200) {
			assertThat(response.json().path("last_epoch").asLong()).as("step %d of %s: %s", epoch, id, response)
				.isEqualTo(epoch);
			this.next.put(id, epoch + 1);
		}
		return response;
	}

	private static void assertProblem503(Api.Response response) {
		assertThat(response.status()).as("a refusal: %s", response).isEqualTo(503);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().path("type").asString())
			.isEqualTo("https://stepwise.dev/problems/service-unavailable");
		assertThat(response.header("Retry-After")).as("Retry-After of %s", response).isNotEmpty();
	}

	/**
	 * Epochs 0 .. last acknowledged, each once, nothing beyond the last answer, and the
	 * scheduler where its last record says.
	 */
	private void assertNothingHalfWritten(URI base, String id) throws Exception {
		long acknowledged = this.next.get(id) - 1;
		List<JsonNode> history = this.api.history(base, id);
		assertThat(history).as("history of %s: epochs 0..%d", id, acknowledged).hasSize((int) acknowledged + 1);
		for (int epoch = 0; epoch <= acknowledged; epoch++) {
			assertThat(history.get(epoch).path("epoch").asLong()).as("history of %s, record %d", id, epoch)
				.isEqualTo(epoch);
		}
		Api.Response lr = this.api.get(base, "/api/v1/schedulers/" + id + "/lr");
		assertThat(lr.status()).as("GET lr of %s: %s", id, lr).isEqualTo(200);
		assertThat(lr.json().path("last_epoch").asLong()).as("lr of %s", id).isEqualTo(acknowledged);
		Api.Response scheduler = this.api.get(base, "/api/v1/schedulers/" + id);
		assertThat(scheduler.status()).as("%s: %s", id, scheduler).isEqualTo(200);
		assertThat(scheduler.json().path("last_epoch").asLong()).as("last_epoch of %s", id).isEqualTo(acknowledged);
		assertThat(Api.groups(scheduler.json())).as("param groups of %s and its last record", id)
			.isEqualTo(Api.groups(history.get((int) acknowledged)));
	}

	private static long used(Path disk) throws IOException {
		return Files.getFileStore(disk).getTotalSpace() - Files.getFileStore(disk).getUsableSpace();
	}

	/** Writes zeros until the file system is full (less than a block left). */
	private static void fill(Path ballast) throws IOException {
		byte[] block = new byte[4096];
		try (OutputStream out = Files.newOutputStream(ballast)) {
			while (true) {
				out.write(block);
			}
		}
		catch (IOException ex) {
			long left = Files.getFileStore(ballast).getUsableSpace();
			if (left >= block.length) {
				throw new IOException("Filling " + ballast + " stopped with " + left + " bytes left", ex);
			}
		}
	}

	/** What is done to the database while its disk is full. */
	@FunctionalInterface
	private interface WhileFull {

		/**
		 * @return what happened, for the test's report
		 */
		String run(URI base) throws Exception;

	}

}
