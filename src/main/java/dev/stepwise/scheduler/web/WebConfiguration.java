package dev.stepwise.scheduler.web;

import dev.stepwise.system.StepwiseProperties;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The request-size limit of the API, checked before anything reads a body, and Tomcat's
 * error report as problems.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

	@Bean
	FilterRegistrationBean<RequestSizeFilter> requestSizeFilter(StepwiseProperties properties, JsonMapper jsonMapper) {
		FilterRegistrationBean<RequestSizeFilter> registration = new FilterRegistrationBean<>(
				new RequestSizeFilter(properties.maxRequestSize().toBytes(), jsonMapper));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		registration.addUrlPatterns("/api/*");
		return registration;
	}

	/**
	 * Replaces the host's error report valve (Boot's customizer adds one, which runs
	 * before this one) by the problem report.
	 */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemReports(JsonMapper jsonMapper) {
		return (factory) -> factory.addContextCustomizers((context) -> {
			Pipeline pipeline = context.getParent().getPipeline();
			for (Valve valve : pipeline.getValves()) {
				if (valve instanceof ErrorReportValve) {
					pipeline.removeValve(valve);
				}
			}
			pipeline.addValve(new ProblemReportValve(jsonMapper));
			if (context.getParent() instanceof StandardHost host) {
				// found at start, so the host adds no HTML report of its own
				host.setErrorReportValveClass(ProblemReportValve.class.getName());
			}
		});
	}

}
