package dev.stepwise.access.web;

import java.io.IOException;

import dev.stepwise.access.Caller;
import dev.stepwise.access.InvalidTokenException;
import dev.stepwise.access.TokenService;
import dev.stepwise.scheduler.IdScope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>} (RFC 6750): a known, live token
 * makes the request its caller's, with the caller's {@link IdScope} and token id as
 * request attributes ({@link IdScope#ATTRIBUTE}, {@link Caller#TOKEN_ID}); a request
 * without the header stays anonymous (the authorization rules answer 401 where it needs
 * one); any other header is 401 {@code invalid_token} at once. Neither the header nor the
 * token is ever logged.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

	private static final String BEARER = "Bearer ";

	private final TokenService tokens;

	private final AuthenticationEntryPoint entryPoint;

	BearerTokenFilter(TokenService tokens, AuthenticationEntryPoint entryPoint) {
		this.tokens = tokens;
		this.entryPoint = entryPoint;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null) {
			chain.doFilter(request, response);
			return;
		}
		Caller caller;
		try {
			if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
				throw new BadCredentialsException("The Authorization header must be 'Bearer <token>'.");
			}
			caller = this.tokens.authenticate(header.substring(BEARER.length()).strip());
		}
		catch (InvalidTokenException ex) {
			this.entryPoint.commence(request, response, new BadCredentialsException(ex.getMessage()));
			return;
		}
		catch (BadCredentialsException ex) {
			this.entryPoint.commence(request, response, ex);
			return;
		}
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(new CallerAuthentication(caller));
		SecurityContextHolder.setContext(context);
		request.setAttribute(Caller.TOKEN_ID, caller.tokenId());
		if (caller.scope() != null) {
			request.setAttribute(IdScope.ATTRIBUTE, caller.scope());
		}
		try {
			chain.doFilter(request, response);
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}

}
