package dev.stepwise.dashboard;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import dev.stepwise.OnEveryDatabase;
import dev.stepwise.access.Http;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * The warm-up before readiness reads what a browser reads on the dashboard's first pages,
 * and every read is answered: the pages, each asset the job page names, the jobs list and
 * the longest job's reads, with the admin token when authentication is on; it stops at
 * the first server error.
 */
@OnEveryDatabase
class DashboardWarmUpIT {

	private static final long DEADLINE_NANOS = DashboardWarmUp.DEADLINE.toNanos();

	static void assertWarmsUpTheLongestJob(DashboardWarmUp warmUp, Http http, int port, String token) throws Exception {
		String id = "warm-" + Long.toHexString(System.nanoTime());
		assertThat(http.post("/api/v1/schedulers", token, Http.registration(id)).status()).isEqualTo(201);
		for (int epoch = 1; epoch <= 3; epoch++) {
			assertThat(http.post("/api/v1/schedulers/" + id + "/steps", token, "{\"epoch\": " + epoch + "}").status())
				.isEqualTo(200);
		}
		String longest = http.get("/api/v1/schedulers?size=1&sort=last_epoch&direction=desc", token)
			.json()
			.path("items")
			.path(0)
			.path("id")
			.asString();

		List<DashboardWarmUp.Read> reads = warmUp.warmUp("http://127.0.0.1:" + port,
				System.nanoTime() + DEADLINE_NANOS);

		assertThat(reads).allSatisfy((read) -> assertThat(read.status()).as(read.path()).isEqualTo(200));
		assertThat(reads).extracting(DashboardWarmUp.Read::path)
			.contains("/schedulers/warm-up", "/", "/designer", "/compare",
					"/api/v1/schedulers/" + longest + "/history?points=" + DashboardWarmUp.HISTORY_POINTS,
					"/api/v1/schedulers/" + longest + "/attempts", "/api/v1/schedulers/" + longest + "/lr")
			.anySatisfy((path) -> assertThat(path).startsWith("/webjars/uplot/"))
			.anySatisfy((path) -> assertThat(path).matches("/dashboard/[0-9a-f]+/js/job\\.js"));
		// downsampled anew each time: another number of points
		assertThat(reads).extracting(DashboardWarmUp.Read::path)
			.filteredOn((path) -> path.startsWith("/api/v1/schedulers/" + longest + "/history?points=")
					&& !path.endsWith("=" + DashboardWarmUp.SPARKLINE_POINTS))
			.doesNotHaveDuplicates()
			.hasSize(DashboardWarmUp.HISTORY_READS);
	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
	class WithoutAuthentication {

		@Autowired
		private DashboardWarmUp warmUp;

		@LocalServerPort
		private int port;

		@Test
		void readsThePagesTheirAssetsAndTheLongestJob() throws Exception {
			assertWarmsUpTheLongestJob(this.warmUp, new Http(URI.create("http://127.0.0.1:" + this.port)), this.port,
					null);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = "stepwise.auth.admin-token=" + WithAuthentication.ADMIN)
	class WithAuthentication {

		static final String ADMIN = "admin-token-for-warm-up-tests-0123456789abcdef";

		@Autowired
		private DashboardWarmUp warmUp;

		@LocalServerPort
		private int port;

		@Test
		void readsWithTheAdminToken() throws Exception {
			Http http = new Http(URI.create("http://127.0.0.1:" + this.port));
			assertThat(http.get("/api/v1/schedulers", null).status()).isEqualTo(401);
			assertWarmsUpTheLongestJob(this.warmUp, http, this.port, ADMIN);
		}

	}

	@Test
	void stopsAtTheFirstServerError() throws Exception {
		// a service whose database is down: every read would wait for the pool's timeout
		AtomicInteger reads = new AtomicInteger();
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/", (exchange) -> {
			reads.incrementAndGet();
			exchange.sendResponseHeaders(503, -1);
			exchange.close();
		});
		server.start();
		try {
			String base = "http://127.0.0.1:" + server.getAddress().getPort();
			assertThatIOException().isThrownBy(
					() -> new DashboardWarmUp(new MockEnvironment()).warmUp(base, System.nanoTime() + DEADLINE_NANOS))
				.withMessage("/schedulers/warm-up answered 503");
			assertThat(reads).hasValue(1);
		}
		finally {
			server.stop(0);
		}
	}

	@Test
	void isOffWhenTurnedOff() {
		ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(DashboardWarmUp.class);
		runner.run((context) -> assertThat(context).hasSingleBean(DashboardWarmUp.class));
		runner.withPropertyValues("stepwise.dashboard.warm-up=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DashboardWarmUp.class));
	}

}
