package dev.stepwise.production;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The H2 data directory fills up under the service: steps answer 503 problems with
 * Retry-After, reads go on, and once space is back the steps succeed again without a
 * restart, every acknowledged step in the history. Needs a small file system of its own
 * ({@code -Dstepwise.test.small-disk=DIR}; {@code .ci/run} mounts a tmpfs there), so that
 * filling it disturbs nothing else.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@EnabledIfSystemProperty(named = DiskFullIT.SMALL_DISK, matches = ".+")
class DiskFullIT {

	static final String SMALL_DISK = "stepwise.test.small-disk";

	private static final int SCHEDULERS = 4;

	/** Steps posted into the full disk before giving up on seeing it refuse one. */
	private static final int MAX_STEPS_TO_FAIL = 20_000;

	private final Api api = new Api();

	/** The epoch to post next, per scheduler. */
	private final Map<String, Long> next = new LinkedHashMap<>();

	@Test
	void stepsAnswer503WhileTheDiskIsFullAndSucceedOnceSpaceIsBack() throws Exception {
		Path disk = Path.of(System.getProperty(SMALL_DISK));
		Path data = disk.resolve("data-" + System.nanoTime());
		Path ballast = disk.resolve("ballast-" + System.nanoTime());
		try (ServiceProcess service = ServiceProcess.start("disk-full", data, Database.h2())) {
			URI base = service.base();
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < SCHEDULERS; i++) {
				Workload.Kind kind = Workload.KINDS.get(i % Workload.KINDS.size());
				String id = "disk-" + i;
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

			List<Integer> readsOnFullDisk = new ArrayList<>();
			fill(ballast);
			// H2 writes into free space of its file first: step until it needs more.
			Api.Response refused = null;
			for (int i = 0; i < MAX_STEPS_TO_FAIL && refused == null; i++) {
				Api.Response response = step(base, ids.get(i % SCHEDULERS));
				if (response.status() != 200) {
					refused = response;
				}
			}
			assertThat(refused).as("a step refused on the full disk; %s", service).isNotNull();
			assertProblem503(refused);
			for (String id : ids) {
				Api.Response again = step(base, id);
				if (again.status() != 200) {
					assertProblem503(again);
				}
				// H2 closes the database after a failed write and opens it again for the
				// next
				// connection: a read answers, or is a 503 problem while it cannot.
				Api.Response lr = this.api.get(base, "/api/v1/schedulers/" + id + "/lr");
				if (lr.status() != 200) {
					assertProblem503(lr);
				}
				readsOnFullDisk.add(lr.status());
			}

			Files.delete(ballast);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
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
				assertHistoryHoldsEveryAcknowledgedStep(base, id);
			}
			System.out.printf(
					"disk full: first refusal %s; GET lr on the full disk answered %s; steps back after "
							+ "the ballast went, acknowledged epochs %s%n",
					refused.status(), readsOnFullDisk, this.next);
		}
		finally {
			Files.deleteIfExists(ballast);
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

	/** Epochs 0 .. last acknowledged, each once, and nothing beyond the last answer. */
	private void assertHistoryHoldsEveryAcknowledgedStep(URI base, String id) throws Exception {
		long acknowledged = this.next.get(id) - 1;
		List<JsonNode> history = this.api.history(base, id);
		assertThat(history).as("history of %s: epochs 0..%d", id, acknowledged).hasSize((int) acknowledged + 1);
		for (int epoch = 0; epoch <= acknowledged; epoch++) {
			assertThat(history.get(epoch).path("epoch").asLong()).as("history of %s, record %d", id, epoch)
				.isEqualTo(epoch);
		}
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

}
