package dev.stepwise.access;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.stepwise.OnEveryDatabase;
import dev.stepwise.access.store.TokenStore;
import dev.stepwise.dashboard.DashboardPages;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authentication on, over a real port and database: every endpoint x every kind of caller
 * (no token, a token of another scope, read, write, admin, revoked, expired), with the
 * status, problem and challenge each must get, and that a refused change changed nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "stepwise.auth.admin-token=" + AuthMatrixIT.ADMIN,
				"stepwise.auth.metrics-token=" + AuthMatrixIT.METRICS })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@OnEveryDatabase
class AuthMatrixIT {

	static final String ADMIN = "admin-token-for-tests-0123456789abcdef";

	static final String METRICS = "metrics-token-for-tests-0123456789abcdef";

	/** Ids of this run: the database may hold earlier runs' schedulers. */
	private static final String RUN = "matrix" + Long.toHexString(System.nanoTime());

	private static final AtomicInteger IDS = new AtomicInteger();

	enum Caller {

		NO_TOKEN, WRONG_SCOPE, READ, WRITE, ADMIN, REVOKED, EXPIRED

	}

	enum Needs {

		/** A read token of the scheduler's scope. */
		READ,

		/** A write token of the scheduler's scope. */
		WRITE,

		/** Any valid token (a preview, the list). */
		ANY_TOKEN,

		/** The admin token. */
		ADMIN

	}

	/**
	 * An endpoint: what it needs and answers when permitted; {@code {id}} is a scheduler
	 * registered for the case (a fresh unregistered one for a registration),
	 * {@code {token}} a token minted for the case.
	 */
	record Endpoint(String method, String path, String body, Needs needs, int success) {

		@Override
		public String toString() {
			return this.method + " " + this.path;
		}

	}

	static final List<Endpoint> ENDPOINTS = List.of(
			new Endpoint("POST", "/api/v1/schedulers", "REGISTER", Needs.WRITE, 201),
			new Endpoint("GET", "/api/v1/schedulers", "", Needs.ANY_TOKEN, 200),
			new Endpoint("GET", "/api/v1/schedulers/{id}", "", Needs.READ, 200),
			new Endpoint("DELETE", "/api/v1/schedulers/{id}", "", Needs.WRITE, 204),
			new Endpoint("POST", "/api/v1/schedulers/{id}/steps", "{\"epoch\": 1}", Needs.WRITE, 200),
			new Endpoint("GET", "/api/v1/schedulers/{id}/lr", "", Needs.READ, 200),
			new Endpoint("GET", "/api/v1/schedulers/{id}/history", "", Needs.READ, 200),
			new Endpoint("GET", "/api/v1/schedulers/{id}/history?points=100", "", Needs.READ, 200),
			new Endpoint("GET", "/api/v1/schedulers?sort=updated_at&id_contains={id}", "", Needs.ANY_TOKEN, 200),
			new Endpoint("GET", "/api/v1/scheduler-types", "", Needs.ANY_TOKEN, 200),
			new Endpoint("POST", "/api/v1/schedulers/{id}/resume", "{\"last_epoch\": 0}", Needs.WRITE, 200),
			new Endpoint("GET", "/api/v1/schedulers/{id}/attempts", "", Needs.READ, 200),
			new Endpoint("GET", "/api/v1/schedulers/{id}/state", "", Needs.READ, 200),
			new Endpoint("PUT", "/api/v1/schedulers/{id}/state", "STATE", Needs.WRITE, 200),
			new Endpoint("POST", "/api/v1/previews",
					"{\"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2},"
							+ " \"steps\": 3}",
					Needs.ANY_TOKEN, 200),
			new Endpoint("POST", "/api/v1/tokens",
					"{\"name\": \"minted in the matrix\", \"scope\": \"x-*\"," + " \"access\": \"read\"}", Needs.ADMIN,
					201),
			new Endpoint("GET", "/api/v1/tokens", "", Needs.ADMIN, 200),
			new Endpoint("DELETE", "/api/v1/tokens/{token}", "", Needs.ADMIN, 204));

	@LocalServerPort
	private int port;

	@Autowired
	private TokenStore store;

	@Autowired
	private DashboardPages dashboard;

	private Http http;

	private final Map<Caller, String> tokens = new EnumMap<>(Caller.class);

	@BeforeAll
	void mintTheCallers() {
		this.http = new Http(URI.create("http://127.0.0.1:" + this.port));
		this.tokens.put(Caller.ADMIN, ADMIN);
		this.tokens.put(Caller.WRITE, this.http.mint(ADMIN, RUN + "-*", "write"));
		this.tokens.put(Caller.READ, this.http.mint(ADMIN, RUN + "-*", "read"));
		this.tokens.put(Caller.WRONG_SCOPE, this.http.mint(ADMIN, "other-" + RUN + "-*", "write"));
		String revoked = this.http.mint(ADMIN, RUN + "-*", "write");
		String revokedId = tokenId(revoked);
		assertThat(this.http.send("DELETE", "/api/v1/tokens/" + revokedId, ADMIN, null).status()).isEqualTo(204);
		this.tokens.put(Caller.REVOKED, revoked);
		// an expired token can only be stored as such: minting refuses a past expiry
		String expired = "sw_expired-" + RUN + "-0123456789abcdef0123456789";
		this.store.insert(
				new AccessToken("tok_expired" + Long.toHexString(System.nanoTime()), "expired", RUN + "-*", true,
						Instant.now().minusSeconds(120), Instant.now().minusSeconds(60), null),
				TokenSecrets.sha256(expired));
		this.tokens.put(Caller.EXPIRED, expired);
	}

	/**
	 * The id of the token with this secret, from the admin's listing (the newest first).
	 */
	private String tokenId(String secret) {
		JsonNode items = this.http.get("/api/v1/tokens?size=500", ADMIN).json().path("items");
		for (JsonNode token : items) {
			assertThat(token.has("secret")).as("a listing shows no secret").isFalse();
		}
		return items.get(0).path("id").asString();
	}

	static Stream<Arguments> matrix() {
		return ENDPOINTS.stream()
			.flatMap((endpoint) -> Stream.of(Caller.values()).map((caller) -> Arguments.of(endpoint, caller)));
	}

	@ParameterizedTest(name = "{0} by {1}")
	@MethodSource("matrix")
	void everyEndpointAnswersEveryCallerAsItsScopeAndAccessSay(Endpoint endpoint, Caller caller) {
		String id = RUN + "-" + IDS.incrementAndGet();
		boolean registered = !endpoint.body().equals("REGISTER");
		if (registered) {
			assertThat(this.http.post("/api/v1/schedulers", ADMIN, Http.registration(id)).status()).isEqualTo(201);
		}
		String path = endpoint.path().replace("{id}", id);
		if (path.contains("{token}")) {
			path = path.replace("{token}", tokenId(this.http.mint(ADMIN, "victim-*", "read")));
		}
		String body = switch (endpoint.body()) {
			case "REGISTER" -> Http.registration(id);
			case "STATE" -> this.http.get("/api/v1/schedulers/" + id + "/state", ADMIN).body();
			case "" -> null;
			default -> endpoint.body();
		};
		Http.Response response = this.http.send(endpoint.method(), path, this.tokens.get(caller), body);

		int expected = expectedStatus(endpoint.needs(), caller, endpoint.success());
		assertThat(response.status()).as("%s by %s: %s", endpoint, caller, response).isEqualTo(expected);
		// stateless: no answer, not even a 401 or 403, opens a session
		assertThat(response.setCookie()).as("%s by %s", endpoint, caller).isNull();
		if (expected == 401) {
			assertProblem(response, "unauthorized");
			assertThat(response.challenge()).startsWith("Bearer realm=\"stepwise\"");
			assertThat(response.challenge().contains("error=\"invalid_token\"")).as(response.challenge())
				.isEqualTo(caller != Caller.NO_TOKEN);
		}
		else if (expected == 403) {
			assertProblem(response, "forbidden");
			assertThat(response.challenge()).contains("error=\"insufficient_scope\"");
		}
		if (expected != endpoint.success() && path.startsWith("/api/v1/schedulers")) {
			// refused: the scheduler is as it was (or still absent)
			Http.Response after = this.http.get("/api/v1/schedulers/" + id, ADMIN);
			assertThat(after.status()).isEqualTo(registered ? 200 : 404);
			if (registered) {
				assertThat(after.json().path("last_epoch").asLong()).isZero();
			}
		}
		if (endpoint.path().matches("/api/v1/schedulers(\\?.*)?") && endpoint.method().equals("GET")
				&& expected == 200) {
			List<String> listed = new ArrayList<>();
			response.json().path("items").forEach((item) -> listed.add(item.path("id").asString()));
			if (caller == Caller.WRONG_SCOPE) {
				assertThat(listed).noneMatch((listedId) -> listedId.startsWith(RUN + "-"));
			}
			else {
				assertThat(listed).contains(id);
			}
		}
	}

	private static int expectedStatus(Needs needs, Caller caller, int success) {
		return switch (caller) {
			case NO_TOKEN, REVOKED, EXPIRED -> 401;
			case ADMIN -> success;
			case WRITE -> (needs == Needs.ADMIN) ? 403 : success;
			case READ -> (needs == Needs.READ || needs == Needs.ANY_TOKEN) ? success : 403;
			case WRONG_SCOPE -> (needs == Needs.ANY_TOKEN) ? success : 403;
		};
	}

	private static void assertProblem(Http.Response response, String type) {
		assertThat(response.contentType()).startsWith("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.path("type").asString()).isEqualTo("https://stepwise.dev/problems/" + type);
		assertThat(problem.path("status").asInt()).isEqualTo(response.status());
		assertThat(problem.path("detail").asString()).isNotBlank();
	}

	@Test
	void aListOfAScopedTokenHoldsOnlyItsSchedulersAndPagesOverThem() {
		String prefix = RUN + "-list" + IDS.incrementAndGet();
		for (int i = 0; i < 5; i++) {
			this.http.post("/api/v1/schedulers", ADMIN, Http.registration(prefix + "_" + i));
			// a neighbour the pattern's '_' must not match as SQL LIKE would
			this.http.post("/api/v1/schedulers", ADMIN, Http.registration(prefix + "x" + i));
		}
		String token = this.http.mint(ADMIN, prefix + "_*", "read");
		List<String> seen = new ArrayList<>();
		for (int page = 0; page < 3; page++) {
			JsonNode list = this.http.get("/api/v1/schedulers?size=2&page=" + page, token).json();
			assertThat(list.path("total_items").asLong()).isEqualTo(5);
			assertThat(list.path("total_pages").asInt()).isEqualTo(3);
			list.path("items").forEach((item) -> seen.add(item.path("id").asString()));
		}
		assertThat(seen).hasSize(5).allMatch((id) -> id.startsWith(prefix + "_"));
	}

	@Test
	void anIdenticalReRegistrationOutsideTheScopeIsRefusedWithoutRevealingTheScheduler() {
		String id = "other-" + RUN + "-secret" + IDS.incrementAndGet();
		assertThat(this.http.post("/api/v1/schedulers", ADMIN, Http.registration(id)).status()).isEqualTo(201);
		Http.Response again = this.http.post("/api/v1/schedulers", this.tokens.get(Caller.WRITE),
				Http.registration(id));
		assertThat(again.status()).isEqualTo(403);
		assertThat(again.body()).doesNotContain("param_groups", "last_epoch");
		// within the scope with read access: a registration is a change
		String own = RUN + "-own" + IDS.incrementAndGet();
		this.http.post("/api/v1/schedulers", ADMIN, Http.registration(own));
		assertThat(this.http.post("/api/v1/schedulers", this.tokens.get(Caller.READ), Http.registration(own)).status())
			.isEqualTo(403);
		// an existing and an absent id outside the scope answer alike
		Http.Response existing = this.http.get("/api/v1/schedulers/" + id, this.tokens.get(Caller.READ));
		Http.Response absent = this.http.get("/api/v1/schedulers/" + id + "-absent", this.tokens.get(Caller.READ));
		assertThat(existing.status()).isEqualTo(absent.status()).isEqualTo(403);
		assertThat(existing.json().path("detail").asString().replace(id, "ID"))
			.isEqualTo(absent.json().path("detail").asString().replace(id + "-absent", "ID"));
	}

	@Test
	void aBadMintIsAProblemNamingTheField() {
		Http.Response badScope = this.http.post("/api/v1/tokens", ADMIN,
				"{\"name\": \"n\", \"scope\": \"a b%\", \"access\": \"read\"}");
		assertThat(badScope.status()).isEqualTo(422);
		assertThat(badScope.json().path("errors").get(0).path("field").asString()).isEqualTo("scope");
		Http.Response badAccess = this.http.post("/api/v1/tokens", ADMIN,
				"{\"name\": \"n\", \"scope\": \"a-*\", \"access\": \"admin\"}");
		assertThat(badAccess.status()).isEqualTo(422);
		assertThat(badAccess.json().path("errors").get(0).path("field").asString()).isEqualTo("access");
		Http.Response past = this.http.post("/api/v1/tokens", ADMIN,
				"{\"name\": \"n\", \"scope\": \"a-*\", \"access\": \"read\", \"expires_at\": \"2001-01-01T00:00:00Z\"}");
		assertThat(past.status()).isEqualTo(422);
		assertThat(past.json().path("errors").get(0).path("field").asString()).isEqualTo("expires_at");
		Http.Response noName = this.http.post("/api/v1/tokens", ADMIN, "{\"scope\": \"a-*\", \"access\": \"read\"}");
		assertThat(noName.status()).isEqualTo(400);
		assertThat(this.http.send("DELETE", "/api/v1/tokens/tok_unknown", ADMIN, null).status()).isEqualTo(404);
	}

	@Test
	void springSecurityIsNotObservedOnEveryRequest(@Autowired MeterRegistry meters) {
		// each observation of its filters cost more than the authentication itself
		for (int i = 0; i < 5; i++) {
			assertThat(this.http.get("/api/v1/schedulers", this.tokens.get(Caller.READ)).status()).isEqualTo(200);
			assertThat(this.http.get("/api/v1/schedulers", null).status()).isEqualTo(401);
		}
		assertThat(meters.getMeters()).extracting((meter) -> meter.getId().getName())
			.isNotEmpty()
			.noneMatch((name) -> name.startsWith("spring.security"));
	}

	@Test
	void theSecretIsAnsweredOnceAndWorksUntilRevoked() {
		Http.Response minted = this.http.post("/api/v1/tokens", ADMIN, "{\"name\": \"once\", \"scope\": \"" + RUN
				+ "-*\", \"access\": \"read\", \"expires_at\": \"" + Instant.now().plusSeconds(3600) + "\"}");
		assertThat(minted.status()).isEqualTo(201);
		String secret = minted.json().path("secret").asString();
		String id = minted.json().path("id").asString();
		assertThat(secret).startsWith("sw_").hasSizeGreaterThanOrEqualTo(46);
		assertThat(this.http.get("/api/v1/tokens?size=500", ADMIN).body()).contains(id).doesNotContain(secret);
		assertThat(this.http.get("/api/v1/schedulers", secret).status()).isEqualTo(200);
		assertThat(this.http.send("DELETE", "/api/v1/tokens/" + id, ADMIN, null).status()).isEqualTo(204);
		Http.Response refused = this.http.get("/api/v1/schedulers", secret);
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.challenge()).contains("error=\"invalid_token\"");
		assertThat(refused.json().path("detail").asString()).contains("revoked").doesNotContain(secret);
		assertThat(this.http.send("DELETE", "/api/v1/tokens/" + id, ADMIN, null).status()).isEqualTo(204);
	}

	@Test
	void probesTheApiDescriptionAndTheDashboardStayOpenAndTheMetricsNeedTheirToken() {
		assertThat(this.http.get("/actuator/health/liveness", null).status()).isEqualTo(200);
		assertThat(this.http.get("/actuator/health/readiness", null).status()).isEqualTo(200);
		assertThat(this.http.get("/v3/api-docs", null).status()).isEqualTo(200);
		assertThat(this.http.get("/swagger-ui/index.html", null).status()).isEqualTo(200);
		// the dashboard: its pages and assets are open, its pages read the API with a
		// token
		for (String page : List.of("/", "/schedulers/any-id", "/designer", "/compare?ids=a,b",
				this.dashboard.assetsPath() + "js/api.js", this.dashboard.uplotPath() + "dist/uPlot.esm.js")) {
			assertThat(this.http.get(page, null).status()).as(page).isEqualTo(200);
		}
		assertThat(this.http.get("/api/v1/schedulers", null).status()).isEqualTo(401);
		// /actuator/prometheus: 401 without the metrics token; with it, past security
		// (404
		// where the endpoint is not exposed)
		assertThat(this.http.get("/actuator/prometheus", null).status()).isEqualTo(401);
		assertThat(this.http.get("/actuator/prometheus", this.tokens.get(Caller.READ)).status()).isEqualTo(403);
		assertThat(this.http.get("/actuator/prometheus", METRICS).status()).isIn(200, 404);
		// the metrics token is no API token
		assertThat(this.http.get("/api/v1/schedulers", METRICS).status()).isEqualTo(403);
		assertThat(this.http.get("/api/v1/schedulers/any/lr", METRICS).status()).isEqualTo(403);
		Http.Response basic = this.http.get("/api/v1/schedulers", "Basic dXNlcjpwYXNz");
		assertThat(basic.status()).isEqualTo(401);
		assertThat(basic.challenge()).contains("error=\"invalid_token\"");
	}

}
