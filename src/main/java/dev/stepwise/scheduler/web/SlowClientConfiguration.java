package dev.stepwise.scheduler.web;

import dev.stepwise.scheduler.MemoryBudget;
import dev.stepwise.system.StepwiseProperties;
import jakarta.servlet.DispatcherType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Request bodies are read without a thread and under a deadline, right after the size
 * limit ({@link WebConfiguration}): a stalled client cannot hold one of Tomcat's worker
 * threads. Apart from {@link WebConfiguration} because MockMvc slices do not dispatch
 * asynchronous requests again; the {@code *IT} tests run it on a real Tomcat.
 */
@Configuration(proxyBeanMethods = false)
class SlowClientConfiguration {

	@Bean
	FilterRegistrationBean<AsyncBodyFilter> asyncBodyFilter(StepwiseProperties properties, JsonMapper jsonMapper,
			MemoryBudget budget) {
		FilterRegistrationBean<AsyncBodyFilter> registration = new FilterRegistrationBean<>(
				new AsyncBodyFilter(properties.requestBodyTimeout(), jsonMapper, budget));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 11);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
		registration.addUrlPatterns("/api/*");
		return registration;
	}

}
