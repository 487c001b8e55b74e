package dev.stepwise.scheduler.web;

import java.io.InputStream;

import dev.stepwise.scheduler.web.RequestSizeFilter.PayloadTooLargeException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Bodies over the limit are refused, whether they declare their length or not.
 */
class RequestSizeFilterTests {

	private final RequestSizeFilter filter = new RequestSizeFilter(16,
			JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build());

	@Test
	void declaredLengthOverTheLimitIs413() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/schedulers");
		request.setContent(new byte[17]);
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, response, chain);
		assertThat(response.getStatus()).isEqualTo(413);
		assertThat(response.getContentType()).isEqualTo("application/problem+json");
		assertThat(response.getContentAsString()).contains("https://stepwise.dev/problems/payload-too-large")
			.contains("\"status\":413");
		assertThat(chain.getRequest()).isNull();
	}

	@Test
	void undeclaredLengthFailsWhileReadingPastTheLimit() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/schedulers") {

			@Override
			public long getContentLengthLong() {
				return -1;
			}

		};
		request.setContent("{\"a\": \"0123456789abcdef\"}".getBytes(StandardCharsets.UTF_8));
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, new MockHttpServletResponse(), chain);
		InputStream body = chain.getRequest().getInputStream();
		assertThatExceptionOfType(PayloadTooLargeException.class).isThrownBy(body::readAllBytes);
	}

	@Test
	void bodyWithinTheLimitPasses() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/schedulers");
		request.setContent("{}".getBytes(StandardCharsets.UTF_8));
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, new MockHttpServletResponse(), chain);
		assertThat(chain.getRequest().getInputStream().readAllBytes()).hasSize(2);
	}

}
