package dev.stepwise.scheduler.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;

/**
 * The security filter chain's 401 and 403, as the same problems the API answers
 * elsewhere, with RFC 6750's {@code WWW-Authenticate: Bearer}: without {@code error} when
 * the request had no token, {@code error="invalid_token"} when it was refused (a
 * {@link BadCredentialsException}, whose message says why and never holds the token).
 */
@Component
public class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

	/** The challenge of a request without credentials. */
	static final String CHALLENGE = "Bearer realm=\"stepwise\"";

	/** The challenge of a token that does not permit the request. */
	static final String INSUFFICIENT_SCOPE = CHALLENGE + ", error=\"insufficient_scope\"";

	private final JsonMapper jsonMapper;

	SecurityProblems(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		if (authException instanceof BadCredentialsException) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
					CHALLENGE + ", error=\"invalid_token\", error_description=\""
							+ authException.getMessage().replace('"', '\'') + "\"");
			FilterProblems.write(ProblemType.UNAUTHORIZED.problem(authException.getMessage()), request, response,
					this.jsonMapper);
			return;
		}
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
		FilterProblems.write(
				ProblemType.UNAUTHORIZED
					.problem("This request needs a bearer token: send Authorization: Bearer <token>."),
				request, response, this.jsonMapper);
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response,
			AccessDeniedException accessDeniedException) throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, INSUFFICIENT_SCOPE);
		FilterProblems.write(ProblemType.FORBIDDEN.problem("The token does not permit this request."), request,
				response, this.jsonMapper);
	}

}
