package dev.stepwise.access.ratelimit;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.stepwise.system.StepwiseProperties;
import jakarta.servlet.DispatcherType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The rate limit of the API ({@code /api/*}; the health probes, Actuator and the OpenAPI
 * document are never limited), unless {@code stepwise.rate-limit.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "stepwise.rate-limit.enabled", matchIfMissing = true)
class RateLimitConfiguration {

	/** Which bucket a request draws from: replace this bean to key by the token's id. */
	@Bean
	ClientKeyResolver clientKeyResolver(StepwiseProperties properties) {
		return new BearerTokenOrAddress(properties.rateLimit().anonymous());
	}

	@Bean
	FilterRegistrationBean<RateLimitFilter> rateLimitFilter(StepwiseProperties properties, ClientKeyResolver clientKeys,
			JsonMapper jsonMapper, ObjectProvider<Ticker> clock) {
		StepwiseProperties.RateLimit limit = properties.rateLimit();
		// the system's clock; a test may stop it
		RateLimiter limiter = new RateLimiter(limit.requestsPerSecond(), limit.burst(), limit.maxClients(),
				clock.getIfAvailable(Ticker::systemTicker));
		FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(
				new RateLimitFilter(limiter, clientKeys, jsonMapper));
		registration.setOrder(RateLimitFilter.ORDER);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
		registration.addUrlPatterns("/api/*");
		return registration;
	}

}
