package dev.stepwise.access.web;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.RequestRejectedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The firewall's header checks without its regular expressions accept exactly what those
 * expressions match (Spring Security's {@code StrictHttpFirewall}), character by
 * character.
 */
class HeaderFirewallTests {

	private static final Pattern NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

	private static final Pattern VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

	@Test
	void everyCharacterIsJudgedAsTheFirewallsExpressionsJudgeIt() {
		int refused = 0;
		for (char c = 0; c < Character.MAX_VALUE; c++) {
			String text = "a" + c + "b";
			assertThat(SecurityConfiguration.assignedAndNotControl(text, false)).as("name U+%04X", (int) c)
				.isEqualTo(NAMES.matcher(text).matches());
			assertThat(SecurityConfiguration.assignedAndNotControl(text, true)).as("value U+%04X", (int) c)
				.isEqualTo(VALUES.matcher(text).matches());
			refused += NAMES.matcher(text).matches() ? 0 : 1;
		}
		// control characters and unassigned code points: the rule refuses some
		assertThat(refused).isGreaterThan(65);
	}

	@Test
	void theFirewallRefusesAControlCharacterInAHeaderValue() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/schedulers");
		request.addHeader("X-Test", "a\u0007b");
		request.addHeader("X-Tab", "a\tb");
		FirewalledRequest firewalled = new SecurityConfiguration().httpFirewall().getFirewalledRequest(request);
		assertThat(firewalled.getHeader("X-Tab")).isEqualTo("a\tb");
		assertThatExceptionOfType(RequestRejectedException.class).isThrownBy(() -> firewalled.getHeader("X-Test"));
	}

}
