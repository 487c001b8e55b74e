package dev.stepwise.scheduler.web;

import dev.stepwise.system.FatalErrors;
import dev.stepwise.system.StepwiseProperties;
import jakarta.servlet.DispatcherType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The filters in front of the API: the fatal-error guard outermost, then the request-size
 * limit, checked before anything reads a body (then, with a real server,
 * {@link SlowClientConfiguration}'s body deadline).
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

	@Bean
	FatalErrorGuard fatalErrorGuard(FatalErrors fatal) {
		return new FatalErrorGuard(fatal);
	}

	@Bean
	FilterRegistrationBean<FatalErrorGuard> fatalErrorGuardRegistration(FatalErrorGuard guard) {
		FilterRegistrationBean<FatalErrorGuard> registration = new FilterRegistrationBean<>(guard);
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		return registration;
	}

	@Bean
	FilterRegistrationBean<RequestSizeFilter> requestSizeFilter(StepwiseProperties properties, JsonMapper jsonMapper) {
		FilterRegistrationBean<RequestSizeFilter> registration = new FilterRegistrationBean<>(
				new RequestSizeFilter(properties.maxRequestSize().toBytes(), jsonMapper));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		registration.addUrlPatterns("/api/*");
		return registration;
	}

}
