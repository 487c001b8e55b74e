package dev.stepwise.access.web;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The scheduler API's chain hands on the container's request only when the firewall's
 * wrapper has nothing left to check; otherwise the wrapper stays and refuses what it
 * refused before.
 */
class FirewallWrapperTests {

	private final HttpFirewall firewall = new SecurityConfiguration().httpFirewall();

	private MockHttpServletRequest read() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/schedulers/job-1/lr");
		request.setServletPath("/api/v1/schedulers/job-1/lr");
		request.addHeader("Authorization", "Bearer sw_secret");
		request.addHeader("Accept", "application/json");
		request.addHeader("User-Agent", "python-requests/2.32\tx");
		return request;
	}

	@Test
	void aReadWithCleanHeadersIsHandedOnUnwrapped() {
		MockHttpServletRequest container = read();
		FirewalledRequest wrapped = this.firewall.getFirewalledRequest(container);
		assertThat(BearerTokenFilter.withoutFirewallWrapper(wrapped)).isSameAs(container);
	}

	@Test
	void aStepWithAJsonBodyIsHandedOnUnwrapped() {
		MockHttpServletRequest container = read();
		container.setMethod("POST");
		container.setContentType("application/json");
		container.setContent("{\"metric\": 0.5}".getBytes());
		assertThat(BearerTokenFilter.withoutFirewallWrapper(this.firewall.getFirewalledRequest(container)))
			.isSameAs(container);
	}

	@Test
	void aQueryStringKeepsTheWrapperWhichChecksItsParameters() {
		MockHttpServletRequest container = read();
		container.setQueryString("%07points=1");
		container.addParameter("\u0007points", "1");
		FirewalledRequest wrapped = this.firewall.getFirewalledRequest(container);
		HttpServletRequest onward = BearerTokenFilter.withoutFirewallWrapper(wrapped);
		assertThat(onward).isSameAs(wrapped);
		assertThatExceptionOfType(RequestRejectedException.class).isThrownBy(onward::getParameterMap);
	}

	@Test
	void aFormBodyKeepsTheWrapper() {
		MockHttpServletRequest container = read();
		container.setMethod("POST");
		container.setContentType(" Application/X-WWW-Form-Urlencoded; charset=UTF-8");
		FirewalledRequest wrapped = this.firewall.getFirewalledRequest(container);
		assertThat(BearerTokenFilter.withoutFirewallWrapper(wrapped)).isSameAs(wrapped);
		container.setContentType("multipart/form-data; boundary=x");
		assertThat(BearerTokenFilter.withoutFirewallWrapper(wrapped)).isSameAs(wrapped);
	}

	@Test
	void aHeaderTheFirewallRefusesKeepsTheWrapperWhichRefusesIt() {
		MockHttpServletRequest container = read();
		container.addHeader("X-Trace", "a\u0007b");
		FirewalledRequest wrapped = this.firewall.getFirewalledRequest(container);
		HttpServletRequest onward = BearerTokenFilter.withoutFirewallWrapper(wrapped);
		assertThat(onward).isSameAs(wrapped);
		assertThatExceptionOfType(RequestRejectedException.class).isThrownBy(() -> onward.getHeader("X-Trace"));

		MockHttpServletRequest badName = read();
		badName.addHeader("X-\u0001", "value");
		FirewalledRequest wrappedName = this.firewall.getFirewalledRequest(badName);
		assertThat(BearerTokenFilter.withoutFirewallWrapper(wrappedName)).isSameAs(wrappedName);
	}

	@Test
	void aRequestTheFirewallDidNotWrapIsLeftAlone() {
		MockHttpServletRequest container = read();
		assertThat(BearerTokenFilter.withoutFirewallWrapper(container)).isSameAs(container);
	}

}
