package dev.stepwise.access;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenSecretsTests {

	@Test
	void theHashIsSha256AndTheReusedDigestStartsAfreshEachTime() {
		// FIPS 180-2's test vector
		String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
		assertThat(TokenSecrets.sha256Hex("abc")).isEqualTo(abc);
		assertThat(TokenSecrets.sha256Hex("something else")).isNotEqualTo(abc);
		assertThat(TokenSecrets.sha256Hex("abc")).isEqualTo(abc);
	}

	@Test
	void secretsAreLongRandomAndPrefixed() {
		String secret = TokenSecrets.newSecret();
		assertThat(secret).startsWith("sw_").hasSize(3 + 43).isNotEqualTo(TokenSecrets.newSecret());
	}

}
