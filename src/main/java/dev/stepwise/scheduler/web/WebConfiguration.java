package dev.stepwise.scheduler.web;

import dev.stepwise.system.FatalErrors;
import dev.stepwise.system.StepwiseProperties;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import jakarta.servlet.DispatcherType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.core.Ordered;

/**
 * The filters in front of the API (the fatal-error guard outermost, then the request-size
 * limit, checked before anything reads a body; with a real server,
 * {@link SlowClientConfiguration}'s body deadline), and Tomcat's error report as
 * problems.
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

	/** The scope check of requests on one scheduler (authentication on). */
	@Bean
	WebMvcConfigurer scopeChecks() {
		return new WebMvcConfigurer() {
			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(new ScopeInterceptor()).addPathPatterns(ApiPaths.SCHEDULERS + "/*/**");
			}
		};
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
