package dev.stepwise.access.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler API's chain takes exactly the requests Spring Security's path pattern
 * {@code /api/v1/schedulers/**} would, by the servlet path alone.
 */
class SchedulerApiMatcherTests {

	private static final RequestMatcher PATTERN = PathPatternRequestMatcher.withDefaults()
		.matcher("/api/v1/schedulers/**");

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/schedulers", "/api/v1/schedulers/", "/api/v1/schedulers/job-1",
			"/api/v1/schedulers/job-1/lr", "/api/v1/schedulers/a/b/c/d", "/api/v1/schedulersx",
			"/api/v1/schedulers-x/lr", "/api/v1/scheduler", "/api/v1/tokens", "/api/v1/previews", "/",
			"/API/v1/schedulers/job-1", "/api/v2/schedulers/job-1", "/actuator/prometheus", "/schedulers/job-1",
			"/error" })
	void matchesWhatThePathPatternMatches(String path) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
		request.setServletPath(path);
		boolean expected = PATTERN.matches(request);
		assertThat(SecurityConfiguration.schedulerApi(request)).as(path).isEqualTo(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/schedulers", "/api/v1/schedulers/job-1/lr" })
	void aServletMappedBelowTheRootIsJudgedByItsWholePath(String path) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
		request.setServletPath("/api");
		request.setPathInfo(path.substring("/api".length()));
		assertThat(SecurityConfiguration.schedulerApi(request)).isTrue();
	}

}
