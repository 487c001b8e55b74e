package dev.stepwise.access.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * Keys a request by its bearer token ({@code Authorization: Bearer <secret>}, RFC 6750):
 * the SHA-256 of the secret in lower-case hex, the form the token store keeps, so that
 * the secret itself is never held. A request without one is keyed by its remote address
 * when anonymous requests are limited, else it is not limited.
 */
final class BearerTokenOrAddress implements ClientKeyResolver {

	private static final String BEARER = "Bearer ";

	private final boolean anonymous;

	/**
	 * @param anonymous whether requests without a bearer token are limited, per remote
	 * address
	 */
	BearerTokenOrAddress(boolean anonymous) {
		this.anonymous = anonymous;
	}

	@Override
	public @Nullable String clientKey(HttpServletRequest request) {
		String secret = bearerSecret(request.getHeader(HttpHeaders.AUTHORIZATION));
		if (secret != null) {
			return sha256Hex(secret);
		}
		return this.anonymous ? request.getRemoteAddr() : null;
	}

	/** The secret of a bearer {@code Authorization} header (scheme in any case). */
	static @Nullable String bearerSecret(@Nullable String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return null;
		}
		String secret = authorization.substring(BEARER.length()).strip();
		return secret.isEmpty() ? null : secret;
	}

	/** The SHA-256 of {@code secret}'s UTF-8 bytes, in lower-case hex. */
	static String sha256Hex(String secret) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			// every Java platform has SHA-256
			throw new IllegalStateException(ex);
		}
	}

}
