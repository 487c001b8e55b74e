package dev.stepwise.access.ratelimit;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests are keyed by their bearer token's hash, or by their address when anonymous
 * ones are limited.
 */
class BearerTokenOrAddressTests {

	/** {@code printf secret | sha256sum}. */
	private static final String SECRET_SHA256 = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b";

	@Test
	void aBearerTokenIsKeyedByTheSha256OfItsSecret() {
		assertThat(new BearerTokenOrAddress(false).clientKey(request("Bearer secret"))).isEqualTo(SECRET_SHA256);
		assertThat(new BearerTokenOrAddress(true).clientKey(request("bearer  secret "))).isEqualTo(SECRET_SHA256);
	}

	@Test
	void withoutABearerTokenTheAddressIsTheKeyOnlyWhenAnonymousRequestsAreLimited() {
		for (String authorization : new String[] { null, "Basic dXNlcjpwdw==", "Bearer", "Bearer   ",
				"Bearersecret" }) {
			assertThat(new BearerTokenOrAddress(false).clientKey(request(authorization))).as(authorization).isNull();
			assertThat(new BearerTokenOrAddress(true).clientKey(request(authorization))).as(authorization)
				.isEqualTo("192.0.2.7");
		}
	}

	@Test
	void differentTokensAreDifferentClients() {
		BearerTokenOrAddress keys = new BearerTokenOrAddress(true);
		assertThat(keys.clientKey(request("Bearer one"))).isNotEqualTo(keys.clientKey(request("Bearer two")))
			.hasSize(64);
	}

	private static MockHttpServletRequest request(String authorization) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/schedulers/a/lr");
		request.setRemoteAddr("192.0.2.7");
		if (authorization != null) {
			request.addHeader("Authorization", authorization);
		}
		return request;
	}

}
