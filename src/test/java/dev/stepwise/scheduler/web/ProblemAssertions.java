package dev.stepwise.scheduler.web;

import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Assertions on problem responses, and JSON requests.
 */
final class ProblemAssertions {

	private ProblemAssertions() {
	}

	/** Sends {@code body} as JSON. */
	static MvcTestResult json(MockMvcTester.MockMvcRequestBuilder request, String body) {
		return request.contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

	/** The response is a problem of {@code type} with {@code status}. */
	static void assertProblem(MvcTestResult result, int status, String type) {
		assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("https://stepwise.dev/problems/" + type);
		assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(status);
	}

	/**
	 * The response is a problem with {@code status} whose first error names
	 * {@code field}.
	 */
	static void assertField(MvcTestResult result, int status, String field, @Nullable String message) {
		assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo(field);
		if (message != null) {
			assertThat(result).bodyJson().extractingPath("$.errors[0].message").isEqualTo(message);
		}
	}

}
