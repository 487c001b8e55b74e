package dev.stepwise.scheduler.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.stepwise.access.TokenService;
import dev.stepwise.scheduler.LrFinderService;
import dev.stepwise.scheduler.AmendmentService;
import dev.stepwise.scheduler.PreviewService;
import dev.stepwise.scheduler.SchedulerService;
import dev.stepwise.system.StepwiseMeters;
import dev.stepwise.system.SystemConfiguration;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * A {@link WebMvcTest} of the API's controllers, problem advice and request-size filter,
 * with the services mocked; every test class using it shares one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WebMvcTest
@Import({ SystemConfiguration.class, WebConfiguration.class, ApiSliceTest.UnreadMeters.class })
@MockitoBean(types = { SchedulerService.class, PreviewService.class, TokenService.class, LrFinderService.class,
		AmendmentService.class })
@interface ApiSliceTest {

	/** The controllers count what they answer; nobody reads it in a slice. */
	@TestConfiguration(proxyBeanMethods = false)
	class UnreadMeters {

		@Bean
		StepwiseMeters stepwiseMeters() {
			return StepwiseMeters.unread();
		}

	}

}
