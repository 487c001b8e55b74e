package dev.stepwise.access.ratelimit;

import dev.stepwise.access.TokenService;
import dev.stepwise.scheduler.AmendmentService;
import dev.stepwise.scheduler.LrFinderService;
import dev.stepwise.scheduler.PreviewService;
import dev.stepwise.scheduler.SchedulerNotFoundException;
import dev.stepwise.scheduler.SchedulerService;
import dev.stepwise.system.StepwiseMeters;
import dev.stepwise.system.SystemConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.benmanes.caffeine.cache.Ticker;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

/**
 * The rate limit in front of the API's controllers (Spring MVC slice, services mocked): a
 * token past its burst gets a 429 problem with {@code Retry-After}, other tokens and
 * requests without one carry on. Half a request per second with a burst of two: a token's
 * third request is refused for two seconds, on a clock that stands still while the test
 * runs.
 */
@WebMvcTest(properties = { "stepwise.rate-limit.requests-per-second=0.5", "stepwise.rate-limit.burst=2" })
@Import({ SystemConfiguration.class, RateLimitConfiguration.class, RateLimitFilterTests.StoppedClock.class })
@MockitoBean(types = { SchedulerService.class, PreviewService.class, TokenService.class, LrFinderService.class,
		AmendmentService.class })
class RateLimitFilterTests {

	private static final String LR = "/api/v1/schedulers/resnet50-run17/lr";

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private SchedulerService schedulers;

	@BeforeEach
	void noSchedulers() {
		given(this.schedulers.current(anyString())).willThrow(new SchedulerNotFoundException("resnet50-run17"));
	}

	@Test
	void aTokenPastItsBurstIsA429ProblemWithRetryAfter() {
		String token = "Bearer past-its-burst";
		assertThat(lr(token)).hasStatus(404);
		assertThat(lr(token)).hasStatus(404);
		MvcTestResult refused = lr(token);
		assertThat(refused).hasStatus(429)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.hasHeader("Retry-After", "2");
		assertThat(refused).bodyJson().extractingPath("$.type").isEqualTo("https://stepwise.dev/problems/rate-limited");
		assertThat(refused).bodyJson().extractingPath("$.status").isEqualTo(429);
		assertThat(refused).bodyJson().extractingPath("$.title").isEqualTo("Rate limited");
		assertThat(refused).bodyJson().extractingPath("$.limit").isEqualTo(0.5);
		assertThat(refused).bodyJson().extractingPath("$.retry_after").isEqualTo(2);
		assertThat(refused).bodyJson().extractingPath("$.instance").isEqualTo(LR);
		assertThat(refused).bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("This client sent more than 0.5 requests per second (bursts of 2); retry after 2 s.");
	}

	@Test
	void aRefusedStepIsNeverTaken() {
		String token = "Bearer steps";
		lr(token);
		lr(token);
		MvcTestResult step = this.mvc.post()
			.uri("/api/v1/schedulers/resnet50-run17/steps")
			.header("Authorization", token)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"epoch\": 1}")
			.exchange();
		assertThat(step).hasStatus(429);
		then(this.schedulers).should(never()).step(anyString(), any());
	}

	@Test
	void oneRunawayTokenDoesNotLimitAnother() {
		for (int i = 0; i < 10; i++) {
			lr("Bearer runaway");
		}
		assertThat(lr("Bearer runaway")).hasStatus(429);
		assertThat(lr("Bearer another-job")).hasStatus(404);
		assertThat(lr("Bearer another-job")).hasStatus(404);
	}

	@Test
	void requestsWithoutATokenAreNotLimitedByDefault() {
		for (int i = 0; i < 20; i++) {
			assertThat(lr(null)).as("request %d", i).hasStatus(404);
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class StoppedClock {

		@Bean
		Ticker stoppedClock() {
			return () -> 42L;
		}

		/** The controllers count what they answer; nobody reads it here. */
		@Bean
		StepwiseMeters stepwiseMeters() {
			return StepwiseMeters.unread();
		}

	}

	private MvcTestResult lr(String authorization) {
		MockMvcTester.MockMvcRequestBuilder request = this.mvc.get().uri(LR);
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return request.exchange();
	}

}
