package dev.stepwise.access.web;

import dev.stepwise.access.AuthProperties;
import dev.stepwise.access.Caller;
import dev.stepwise.access.TokenService;
import dev.stepwise.scheduler.web.ApiPaths;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Who may call what. Authentication is on when an admin token is set
 * ({@link AuthProperties#on()}); then:
 * <ul>
 * <li>the health probes, {@code /v3/api-docs}, Swagger UI and the dashboard's pages and
 * assets are open (the pages read the API with the token the user gives them);</li>
 * <li>{@code /actuator/prometheus} is open, or needs the metrics token (or the admin
 * token) when {@code stepwise.auth.metrics-token} is set;</li>
 * <li>{@code /api/v1/tokens} needs the admin token;</li>
 * <li>the rest of {@code /api} needs the admin token or a minted token, whose scope the
 * scheduler API checks per id (read for GET, write for the rest; a preview, which touches
 * no stored scheduler, needs any token).</li>
 * </ul>
 * Off, the security filter is not registered with the servlet container at all: it costs
 * the requests nothing.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SecurityConfiguration {

	private static final Log log = LogFactory.getLog(SecurityConfiguration.class);

	private static final String ADMIN = Caller.Role.ADMIN.name();

	private static final String TOKEN = Caller.Role.TOKEN.name();

	private static final String METRICS = Caller.Role.METRICS.name();

	private static final String SCHEDULER_API = ApiPaths.SCHEDULERS;

	/**
	 * Unregisters Spring Security's filter (Boot's
	 * {@link SecurityFilterAutoConfiguration} registers it) when authentication is off.
	 * Also where a required but missing admin token stops the startup, before anything
	 * else starts.
	 */
	@Bean
	static BeanPostProcessor securityFilterWhenOff(Environment environment) {
		boolean on = Binder.get(environment).bindOrCreate("stepwise.auth", AuthProperties.class).on();
		return new BeanPostProcessor() {
			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (!on && bean instanceof DelegatingFilterProxyRegistrationBean registration
						&& "securityFilterChainRegistration".equals(beanName)) {
					registration.setEnabled(false);
				}
				return bean;
			}
		};
	}

	/**
	 * The scheduler API, the hot path, on its own chain of one filter: the bearer token
	 * filter authenticates and authorises (any admin or minted token; the scope is
	 * checked per id by the API). Without Spring Security's authorization, exception
	 * translation and async integration filters, which the other chain has, steps with
	 * auth on lost 0-1% of their throughput instead of 14-21%
	 * ({@code bench/run.sh --auth}). An async dispatch continues a request authorised
	 * already, and an error dispatch goes to {@code /error}: the filter lets both
	 * through. Off, nothing matches it.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityFilterChain schedulerApiSecurity(AuthProperties auth, TokenService tokens,
			AuthenticationEntryPoint entryPoint, AccessDeniedHandler accessDenied) {
		if (!auth.on()) {
			return new DefaultSecurityFilterChain((request) -> false);
		}
		return new DefaultSecurityFilterChain(SecurityConfiguration::schedulerApi,
				new BearerTokenFilter(tokens, entryPoint, accessDenied));
	}

	/**
	 * Whether a request is for the scheduler API ({@code /api/v1/schedulers} and below),
	 * by its servlet path, which the container decoded and normalised and the firewall
	 * checked before any chain is chosen: what a {@code PathPatternRequestMatcher} for
	 * {@code /api/v1/schedulers/**} matches, without parsing the path on every request (2
	 * µs of a read). A request it misses goes to the other chain, which needs a token
	 * too.
	 */
	static boolean schedulerApi(HttpServletRequest request) {
		String path = request.getServletPath();
		if (request.getPathInfo() != null) {
			path = path + request.getPathInfo();
		}
		return path.startsWith(SCHEDULER_API)
				&& (path.length() == SCHEDULER_API.length() || path.charAt(SCHEDULER_API.length()) == '/');
	}

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, AuthProperties auth, TokenService tokens,
			AuthenticationEntryPoint entryPoint, AccessDeniedHandler accessDenied) throws Exception {
		// Only what a stateless bearer API needs (each filter left out cost reads
		// throughput, bench/run.sh --auth): no session, anonymous token, request wrapper
		// or header writer (the dashboard and the API set their own headers). The bearer
		// filter sets the SecurityContextHolder and clears it after the request.
		http.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.headers(AbstractHttpConfigurer::disable)
			.anonymous(AbstractHttpConfigurer::disable)
			.servletApi(AbstractHttpConfigurer::disable)
			.sessionManagement(AbstractHttpConfigurer::disable)
			.securityContext(AbstractHttpConfigurer::disable);
		// a 401 must not save the request in a new session
		http.setSharedObject(RequestCache.class, new NullRequestCache());
		if (!auth.on()) {
			log.info("Authentication is OFF: anyone who can reach the port may use the API. Set"
					+ " STEPWISE_AUTH_ADMIN_TOKEN to turn it on (the postgres profile requires it).");
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}
		boolean metricsToken = auth.metricsToken() != null && !auth.metricsToken().isBlank();
		log.info("Authentication is ON: the API needs a bearer token; /actuator/prometheus is "
				+ (metricsToken ? "behind the metrics token." : "open."));
		return http.addFilterBefore(new BearerTokenFilter(tokens, entryPoint), AuthorizationFilter.class)
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(entryPoint).accessDeniedHandler(accessDenied))
			.authorizeHttpRequests((requests) -> {
				// an async dispatch continues a request authorised already; an error
				// dispatch answers one
				requests.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll();
				requests.requestMatchers("/actuator/health", "/actuator/health/**").permitAll();
				requests
					.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html",
							"/swagger-ui/**")
					.permitAll();
				requests.requestMatchers("/", "/schedulers/*", "/designer", "/compare", "/dashboard/**", "/webjars/**")
					.permitAll();
				if (metricsToken) {
					requests.requestMatchers("/actuator/prometheus").hasAnyAuthority(METRICS, ADMIN);
				}
				else {
					requests.requestMatchers("/actuator/prometheus").permitAll();
				}
				requests.requestMatchers("/api/v1/tokens", "/api/v1/tokens/**").hasAuthority(ADMIN);
				requests.requestMatchers("/error").permitAll();
				requests.anyRequest().hasAnyAuthority(ADMIN, TOKEN);
			})
			.build();
	}

	/**
	 * No observation of Spring Security's filters, authentications and authorizations:
	 * with an observation registry (Actuator's) it wraps each of its filters in an
	 * observation on every request, which cost more than the authentication itself
	 * ({@code bench/run.sh --auth}). Tracing has the step path's own spans.
	 */
	@Bean
	static SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	/**
	 * Spring Security's firewall as it is, except that it checks header names and values
	 * with a loop instead of its regular expression, which cost about 4% of a read: the
	 * same rule (assigned characters, no control characters).
	 */
	@Bean
	HttpFirewall httpFirewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHeaderNames((name) -> assignedAndNotControl(name, false));
		firewall.setAllowedHeaderValues((value) -> assignedAndNotControl(value, true));
		return firewall;
	}

	/**
	 * What the firewall's {@code [\p{IsAssigned}&&[^\p{IsControl}]]*} matches (header
	 * values may also hold tabs).
	 */
	static boolean assignedAndNotControl(String text, boolean tabs) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if ((Character.isISOControl(c) && !(tabs && c == '\t')) || !Character.isDefined(c)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * A request Spring Security's firewall refuses (e.g. an encoded period or a semicolon
	 * in the path) is a 400 problem, like those Tomcat refuses.
	 */
	@Bean
	RequestRejectedHandler requestRejectedHandler() {
		return new HttpStatusRequestRejectedHandler();
	}

}
