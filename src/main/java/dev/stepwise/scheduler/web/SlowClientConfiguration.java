package dev.stepwise.scheduler.web;

import dev.stepwise.scheduler.MemoryBudget;
import dev.stepwise.system.StepwiseProperties;
import jakarta.servlet.DispatcherType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
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

	/** Tomcat's socket buffers per connection (its default is 8 KB each way). */
	static final int SOCKET_BUFFER_BYTES = 4096;

	/**
	 * Held connections cost heap, not threads: a connection in the middle of a request
	 * holds its socket buffers, a processor with its header buffers and, once the body is
	 * awaited, the servlet request and response with their buffers (about 90 KB with
	 * Tomcat's defaults, measured with 1,000 stalled connections). Smaller socket buffers
	 * take a third off, and every connection's buffers and processor are recycled (caches
	 * as large as the connection limit), so that connections stalled and reopened again
	 * and again make no garbage: with Tomcat's caches (500 buffers, 200 processors) each
	 * reopened connection allocated anew, its buffers died in the old generation, and the
	 * serial collector ran a full collection every second.
	 */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> heldConnections(
			@Value("${server.tomcat.max-connections:8192}") int connections) {
		return (factory) -> factory.addConnectorCustomizers((connector) -> {
			connector.setProperty("socket.appReadBufSize", Integer.toString(SOCKET_BUFFER_BYTES));
			connector.setProperty("socket.appWriteBufSize", Integer.toString(SOCKET_BUFFER_BYTES));
			connector.setProperty("socket.bufferPool", Integer.toString(connections));
		});
	}

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
