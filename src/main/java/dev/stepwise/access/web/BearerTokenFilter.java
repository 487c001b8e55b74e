package dev.stepwise.access.web;

import java.io.IOException;
import java.util.Enumeration;
import java.util.Locale;

import dev.stepwise.access.Caller;
import dev.stepwise.access.InvalidTokenException;
import dev.stepwise.access.TokenService;
import dev.stepwise.scheduler.IdScope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>} (RFC 6750): a known, live token
 * makes the request its caller's, with the caller's {@link IdScope} and token id as
 * request attributes ({@link IdScope#ATTRIBUTE}, {@link Caller#TOKEN_ID}); a request
 * without the header stays anonymous (the authorization rules answer 401 where it needs
 * one, or this filter does on the scheduler API); any other header is 401
 * {@code invalid_token} at once. Neither the header nor the token is ever logged.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

	private static final String BEARER = "Bearer ";

	private final TokenService tokens;

	private final AuthenticationEntryPoint entryPoint;

	/**
	 * Set when this filter authorises too: a token is required, and this refuses the
	 * metrics token.
	 */
	private final @Nullable AccessDeniedHandler denied;

	/** Authenticates only: the authorization rules after it decide. */
	BearerTokenFilter(TokenService tokens, AuthenticationEntryPoint entryPoint) {
		this(tokens, entryPoint, null);
	}

	/**
	 * Authenticates and authorises at once (the scheduler API's chain, which has no other
	 * filter): no token is 401, and a token of a role other than admin or minted (the
	 * metrics token) is 403 by {@code denied}.
	 */
	BearerTokenFilter(TokenService tokens, AuthenticationEntryPoint entryPoint, @Nullable AccessDeniedHandler denied) {
		this.tokens = tokens;
		this.entryPoint = entryPoint;
		this.denied = denied;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null) {
			if (this.denied != null) {
				this.entryPoint.commence(request, response, new InsufficientAuthenticationException("no bearer token"));
				return;
			}
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
		if (this.denied != null && caller.role() == Caller.Role.METRICS) {
			this.denied.handle(request, response, new AccessDeniedException("the metrics token"));
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
			chain.doFilter((this.denied != null) ? withoutFirewallWrapper(request) : request, response);
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}

	/**
	 * The request under the firewall's wrapper when the wrapper has nothing left to
	 * check: the firewall checked the path when it wrapped the request, and the wrapper
	 * checks each header and parameter when it is read. With no query string and no form
	 * body there are no parameters, and the headers are checked here, all at once, by the
	 * firewall's own rule (one that fails keeps the wrapper, which refuses the request as
	 * before). The scheduler API's handlers then call the container's request directly:
	 * through the wrapper, their calls were delegating and polymorphic, most of what a
	 * read lost with auth on beyond the chain itself (README, "Authentication and
	 * meters"). Any other request keeps the wrapper.
	 */
	static HttpServletRequest withoutFirewallWrapper(HttpServletRequest request) {
		if (!(request instanceof FirewalledRequest firewalled) || request.getQueryString() != null
				|| form(request.getContentType())) {
			return request;
		}
		HttpServletRequest container = (HttpServletRequest) firewalled.getRequest();
		Enumeration<String> names = container.getHeaderNames();
		while (names.hasMoreElements()) {
			String name = names.nextElement();
			if (!SecurityConfiguration.assignedAndNotControl(name, false)) {
				return request;
			}
			Enumeration<String> values = container.getHeaders(name);
			while (values.hasMoreElements()) {
				if (!SecurityConfiguration.assignedAndNotControl(values.nextElement(), true)) {
					return request;
				}
			}
		}
		return container;
	}

	/** Whether a body of this type holds parameters the container parses. */
	private static boolean form(@Nullable String contentType) {
		if (contentType == null) {
			return false;
		}
		String type = contentType.strip().toLowerCase(Locale.ROOT);
		return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/");
	}

}
