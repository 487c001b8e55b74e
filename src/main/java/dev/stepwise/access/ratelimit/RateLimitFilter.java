package dev.stepwise.access.ratelimit;

import java.io.IOException;

import dev.stepwise.scheduler.web.FilterProblems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Takes a token from the client's bucket for each API request, or answers 429
 * {@code rate-limited} with {@code Retry-After} when there is none, before any work is
 * done. Runs once per request: in the dispatch that reaches the controllers, which for a
 * request with a body is the asynchronous one after its body was read.
 */
class RateLimitFilter extends OncePerRequestFilter {

	/**
	 * Right after Spring Security's filter chain (registered at
	 * {@code SecurityFilterProperties.DEFAULT_FILTER_ORDER}, -100), so that the
	 * authenticated token can name the client, and after the request-size limit and the
	 * body reader, so that a body is read without a thread before the request is counted.
	 */
	static final int ORDER = -100 + 10;

	private final RateLimiter limiter;

	private final ClientKeyResolver clientKeys;

	private final JsonMapper jsonMapper;

	RateLimitFilter(RateLimiter limiter, ClientKeyResolver clientKeys, JsonMapper jsonMapper) {
		this.limiter = limiter;
		this.clientKeys = clientKeys;
		this.jsonMapper = jsonMapper;
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		// a request with a body reaches the controllers in its async dispatch only
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String clientKey = this.clientKeys.clientKey(request);
		long waitNanos = (clientKey != null) ? this.limiter.acquire(clientKey) : 0;
		if (waitNanos > 0) {
			FilterProblems.rateLimited(request, response, this.jsonMapper, this.limiter.requestsPerSecond(),
					this.limiter.burst(), RateLimiter.retryAfterSeconds(waitNanos));
			return;
		}
		chain.doFilter(request, response);
	}

}
