package dev.stepwise.system;

import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Configuration properties and the strictness of JSON reading (with the
 * {@code spring.jackson.*} properties of {@code application.properties}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StepwiseProperties.class)
public class SystemConfiguration {

	/**
	 * No JSON value changes its type on the way in: a number is not a string, a string
	 * not a number ({@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} excepted),
	 * and {@code ""} is nothing but a string.
	 */
	/**
	 * Halts the process on an out-of-memory error wherever it surfaces; it also becomes
	 * the default handler of every thread's uncaught errors (Tomcat's poller included).
	 */
	@Bean
	FatalErrors fatalErrors() {
		FatalErrors fatal = FatalErrors.halting();
		Thread.setDefaultUncaughtExceptionHandler(fatal.uncaughtHandler());
		return fatal;
	}

	@Bean
	JsonMapperBuilderCustomizer strictJsonTypes() {
		return (builder) -> builder
			.withCoercionConfig(LogicalType.Textual,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfigDefaults(
					(config) -> config.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
	}

}
