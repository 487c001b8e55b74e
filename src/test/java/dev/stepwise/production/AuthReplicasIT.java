package dev.stepwise.production;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.stepwise.OnEveryDatabase;
import dev.stepwise.access.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas with authentication on, on one PostgreSQL database: a token minted on one
 * works on the other, and a revocation on replica A is refused by replica B in the very
 * next request: B used the token before, so it sits in B's token cache, which A's
 * revocation clears through PostgreSQL's {@code NOTIFY}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@OnEveryDatabase
class AuthReplicasIT {

	private static final String ADMIN = "replicas-admin-token-0123456789abcdef";

	private static final int ROUNDS = 20;

	/** {@code TokenRevocations}' connection's application_name. */
	private static final String LISTENER = "stepwise-token-revocations";

	@Test
	void aRevocationOnOneReplicaHoldsOnTheOtherAtOnce() throws Exception {
		Database database = Database.postgresOrAbort().withAdminToken(ADMIN);
		Path data = Files.createDirectories(ServiceProcess.WORK).resolve("auth-replicas-" + System.nanoTime());
		CompletableFuture<ServiceProcess> startA = start("auth-replicas-a", data.resolve("a"), database);
		CompletableFuture<ServiceProcess> startB = start("auth-replicas-b", data.resolve("b"), database);
		try (ServiceProcess a = startA.join(); ServiceProcess b = startB.join()) {
			Http replicaA = new Http(a.base());
			Http replicaB = new Http(b.base());
			String run = "auth-replicas-" + Long.toHexString(System.nanoTime());
			assertThat(replicaB.get("/api/v1/schedulers", null).status()).isEqualTo(401);
			for (int round = 0; round < ROUNDS; round++) {
				revokeOnAAndUseOnB(replicaA, replicaB, run, round);
			}
			// the listeners' connections die: they listen again, and a revocation still
			// holds
			// at once
			List<Integer> killed = terminateListeners();
			assertThat(killed).hasSize(2);
			awaitListeners(killed);
			revokeOnAAndUseOnB(replicaA, replicaB, run, ROUNDS);
		}
	}

	private static void revokeOnAAndUseOnB(Http replicaA, Http replicaB, String run, int round) {
		String id = run + "-" + round;
		String token = replicaA.mint(ADMIN, run + "-*", "write");
		assertThat(replicaB.post("/api/v1/schedulers", token, Http.registration(id)).status()).isEqualTo(201);
		assertThat(replicaA.post("/api/v1/schedulers/" + id + "/steps", token, "{\"epoch\": 1}").status())
			.isEqualTo(200);
		String tokenId = replicaB.get("/api/v1/tokens?size=1", ADMIN).json().path("items").get(0).path("id").asString();
		assertThat(replicaA.send("DELETE", "/api/v1/tokens/" + tokenId, ADMIN, null).status()).isEqualTo(204);
		// the next request, on the other replica, at once
		Http.Response refused = replicaB.post("/api/v1/schedulers/" + id + "/steps", token, "{\"epoch\": 2}");
		assertThat(refused.status()).as("round %d: %s", round, refused).isEqualTo(401);
		assertThat(refused.challenge()).contains("error=\"invalid_token\"");
		assertThat(replicaA.get("/api/v1/schedulers/" + id, token).status()).isEqualTo(401);
		assertThat(replicaB.get("/api/v1/schedulers/" + id, ADMIN).json().path("last_epoch").asLong()).isEqualTo(1);
	}

	private static Connection database() throws SQLException {
		return DriverManager.getConnection(System.getenv(Database.URL_VARIABLE),
				System.getenv("STEPWISE_DATABASE_USERNAME"), System.getenv("STEPWISE_DATABASE_PASSWORD"));
	}

	/** The backend pids of the listening connections. */
	private static List<Integer> listeners(Connection connection) throws SQLException {
		List<Integer> pids = new ArrayList<>();
		try (PreparedStatement query = connection
			.prepareStatement("select pid from pg_stat_activity where application_name = ?")) {
			query.setString(1, LISTENER);
			try (ResultSet rows = query.executeQuery()) {
				while (rows.next()) {
					pids.add(rows.getInt(1));
				}
			}
		}
		return pids;
	}

	private static List<Integer> terminateListeners() throws SQLException {
		try (Connection connection = database()) {
			List<Integer> pids = listeners(connection);
			for (int pid : pids) {
				try (Statement statement = connection.createStatement()) {
					statement.execute("select pg_terminate_backend(" + pid + ")");
				}
			}
			return pids;
		}
	}

	private static void awaitListeners(List<Integer> killed) throws Exception {
		try (Connection connection = database()) {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			List<Integer> now = listeners(connection);
			while (!(now.size() == killed.size() && now.stream().noneMatch(killed::contains))) {
				assertThat(System.nanoTime()).as("listening again: %s", now).isLessThan(deadline);
				Thread.sleep(50);
				now = listeners(connection);
			}
		}
	}

	private static CompletableFuture<ServiceProcess> start(String name, Path dataDir, Database database) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				return ServiceProcess.start(name, dataDir, database);
			}
			catch (Exception ex) {
				throw new IllegalStateException("could not start " + name, ex);
			}
		});
	}

}
