package dev.stepwise.access;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * The access properties, bound in every context: the tokens are a service of their own,
 * also where no web server runs (the security filter chain is only built for one).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthProperties.class)
class AccessConfiguration {

}
