package dev.stepwise.access;

import java.net.URI;

import dev.stepwise.StepwiseApplication;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Authentication off, the H2 default: everything is open, Spring Security's filter is not
 * even registered with the container, and no token can be minted. And the postgres
 * profile without an admin token refuses to start, saying what to set.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthOffIT {

	@LocalServerPort
	private int port;

	@Autowired
	private DelegatingFilterProxyRegistrationBean securityFilterChainRegistration;

	@Test
	void everythingIsOpenAndTheSecurityFilterIsNotRegistered() {
		Http http = new Http(URI.create("http://127.0.0.1:" + this.port));
		String id = "auth-off-" + System.nanoTime();
		assertThat(http.post("/api/v1/schedulers", null, Http.registration(id)).status()).isEqualTo(201);
		assertThat(http.post("/api/v1/schedulers/" + id + "/steps", null, "{\"epoch\": 1}").status()).isEqualTo(200);
		assertThat(http.get("/api/v1/schedulers/" + id + "/lr", null).status()).isEqualTo(200);
		assertThat(http.get("/api/v1/schedulers", null).body()).contains(id);
		// a token, even a made-up one, is not looked at
		assertThat(http.get("/api/v1/schedulers/" + id, "made-up").status()).isEqualTo(200);
		assertThat(http.send("DELETE", "/api/v1/schedulers/" + id, null, null).status()).isEqualTo(204);
		assertThat(this.securityFilterChainRegistration.isEnabled()).isFalse();
	}

	@Test
	void noTokenIsMintedWhileAuthenticationIsOff() {
		Http http = new Http(URI.create("http://127.0.0.1:" + this.port));
		Http.Response refused = http.post("/api/v1/tokens", null,
				"{\"name\": \"n\", \"scope\": \"*\", \"access\": \"write\"}");
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.json().path("type").asString()).isEqualTo("https://stepwise.dev/problems/forbidden");
		assertThat(refused.json().path("detail").asString()).contains("STEPWISE_AUTH_ADMIN_TOKEN");
	}

	@Test
	void thePostgresProfileWithoutAnAdminTokenRefusesToStart() {
		// refused before the database is touched: no PostgreSQL is needed to see it
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(StepwiseApplication.class).profiles("postgres")
				.properties("server.port=0", "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
						"stepwise.auth.admin-token=")
				.run()
				.close())
			.satisfies((ex) -> assertThat(rootCause(ex).getMessage())
				.contains("no admin token is set: set STEPWISE_AUTH_ADMIN_TOKEN")
				.contains("stepwise.auth.enabled=false"));
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

}
