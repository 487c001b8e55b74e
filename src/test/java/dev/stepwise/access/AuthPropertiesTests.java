package dev.stepwise.access;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * When authentication is on, and when a missing admin token stops the startup.
 */
class AuthPropertiesTests {

	private static final String TOKEN = "0123456789abcdef0123456789abcdef";

	@Test
	void offWithoutAnAdminTokenUnlessRequired() {
		assertThat(new AuthProperties(null, null, null, false).on()).isFalse();
		assertThat(new AuthProperties(null, " ", null, false).on()).isFalse();
	}

	@Test
	void onWithAnAdminTokenUnlessExplicitlyOff() {
		assertThat(new AuthProperties(null, TOKEN, null, false).on()).isTrue();
		assertThat(new AuthProperties(null, TOKEN, null, true).on()).isTrue();
		assertThat(new AuthProperties(false, TOKEN, null, true).on()).isFalse();
		assertThat(new AuthProperties(false, null, null, true).on()).isFalse();
	}

	@Test
	void requiredOrEnabledWithoutAnAdminTokenSaysWhatToSet() {
		assertThatIllegalStateException().isThrownBy(() -> new AuthProperties(null, null, null, true).on())
			.withMessageContaining("STEPWISE_AUTH_ADMIN_TOKEN")
			.withMessageContaining("stepwise.auth.enabled=false");
		assertThatIllegalStateException().isThrownBy(() -> new AuthProperties(true, "", null, false).on())
			.withMessageContaining("STEPWISE_AUTH_ADMIN_TOKEN");
	}

	@Test
	void aShortTokenIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> new AuthProperties(null, "short", null, false).on())
			.withMessageContaining("shorter than 32");
		assertThatIllegalStateException().isThrownBy(() -> new AuthProperties(null, TOKEN, "short", false).on())
			.withMessageContaining("metrics token");
	}

}
