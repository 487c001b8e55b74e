package dev.stepwise.access.ratelimit;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Which client a request comes from, for its rate limit: requests with the same key draw
 * from one token bucket. Once requests are authenticated, a resolver returning the
 * token's id can replace {@link BearerTokenOrAddress}, which keys by the hash the token
 * store holds.
 */
@FunctionalInterface
public interface ClientKeyResolver {

	/**
	 * The client key of {@code request}.
	 * @return the key, or {@code null} when the request is not limited
	 */
	@Nullable String clientKey(HttpServletRequest request);

}
