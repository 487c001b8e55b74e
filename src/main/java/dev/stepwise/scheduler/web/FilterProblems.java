package dev.stepwise.scheduler.web;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Problems answered by servlet filters, before Spring MVC: the documents the problem
 * advice writes, of the one list of {@link ProblemType}s, also for the filters of other
 * rooms (the rate limit).
 */
public final class FilterProblems {

	private FilterProblems() {
	}

	/**
	 * Answers 429 {@code rate-limited} with {@code Retry-After}; the connection stays
	 * open, so that the client's retry reuses it.
	 * @param requestsPerSecond the client's limit, answered as {@code limit}
	 * @param burst the requests a client may send at once
	 * @param retryAfterSeconds when the client has a token again, whole seconds (at least
	 * 1)
	 */
	public static void rateLimited(HttpServletRequest request, HttpServletResponse response, JsonMapper jsonMapper,
			double requestsPerSecond, int burst, long retryAfterSeconds) throws IOException {
		Object limit = (requestsPerSecond == Math.rint(requestsPerSecond)) ? (Object) (long) requestsPerSecond
				: (Object) requestsPerSecond;
		ProblemDetail problem = ProblemType.RATE_LIMITED.problem("This client sent more than " + limit
				+ " requests per second (bursts of " + burst + "); retry after " + retryAfterSeconds + " s.");
		problem.setProperty("limit", limit);
		problem.setProperty("retry_after", retryAfterSeconds);
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
		write(problem, request, response, jsonMapper);
	}

	/** Writes {@code problem} as the answer, with its status. */
	static void write(ProblemDetail problem, HttpServletRequest request, HttpServletResponse response,
			JsonMapper jsonMapper) throws IOException {
		problem.setInstance(URI.create(request.getRequestURI()));
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		jsonMapper.writeValue(response.getOutputStream(), problem);
	}

}
