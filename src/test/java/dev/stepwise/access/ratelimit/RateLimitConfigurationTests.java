package dev.stepwise.access.ratelimit;

import dev.stepwise.system.SystemConfiguration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limit is on by default, on {@code /api/*} only, switched off by
 * {@code stepwise.rate-limit.enabled=false}, and nonsensical settings stop the startup
 * with a message naming the property.
 */
class RateLimitConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withUserConfiguration(SystemConfiguration.class, RateLimitConfiguration.class)
		.withBean(JsonMapper.class, () -> JsonMapper.builder().build());

	@Test
	void onByDefaultForTheApiOnly() {
		this.runner.run((context) -> {
			FilterRegistrationBean<?> registration = context.getBean("rateLimitFilter", FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isInstanceOf(RateLimitFilter.class);
			assertThat(registration.getUrlPatterns()).containsExactly("/api/*");
			assertThat(registration.getOrder()).isEqualTo(RateLimitFilter.ORDER).isGreaterThan(-100);
			assertThat(context.getBean(ClientKeyResolver.class)).isInstanceOf(BearerTokenOrAddress.class);
		});
	}

	@Test
	void offWhenDisabled() {
		this.runner.withPropertyValues("stepwise.rate-limit.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("rateLimitFilter")
				.doesNotHaveBean(ClientKeyResolver.class));
	}

	@Test
	void nonsensicalSettingsStopTheStartup() {
		for (String setting : new String[] { "requests-per-second=0", "requests-per-second=-1",
				"requests-per-second=NaN", "requests-per-second=2000000", "burst=0", "burst=1000001",
				"max-clients=0" }) {
			this.runner.withPropertyValues("stepwise.rate-limit." + setting)
				.run((context) -> assertThat(context).as(setting)
					.hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("stepwise.rate-limit." + setting.substring(0, setting.indexOf('='))));
		}
	}

}
