package dev.stepwise.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Secrets and their hashes: a secret is 256 random bits, and only its SHA-256 is kept.
 */
public final class TokenSecrets {

	/** The prefix of minted secrets, so that a leaked one is recognisable in a scan. */
	static final String PREFIX = "sw_";

	private static final SecureRandom RANDOM = new SecureRandom();

	/**
	 * A digest per thread: every authenticated request hashes its token, and looking the
	 * algorithm up each time cost as much as the hash.
	 */
	private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	});

	private TokenSecrets() {
	}

	/** A new secret: {@code sw_} and 32 random bytes in base64url. */
	static String newSecret() {
		return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
	}

	/** A new public token id: {@code tok_} and 10 random bytes in hex. */
	static String newId() {
		return "tok_" + HexFormat.of().formatHex(randomBytes(10));
	}

	private static byte[] randomBytes(int n) {
		byte[] bytes = new byte[n];
		RANDOM.nextBytes(bytes);
		return bytes;
	}

	/** The SHA-256 of {@code secret}'s UTF-8 bytes. */
	public static byte[] sha256(String secret) {
		return SHA_256.get().digest(secret.getBytes(StandardCharsets.UTF_8));
	}

	/** The SHA-256 of {@code secret}, in lower-case hex. */
	public static String sha256Hex(String secret) {
		return HexFormat.of().formatHex(sha256(secret));
	}

}
