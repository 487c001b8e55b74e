package dev.stepwise.scheduler.web;

import java.util.Map;

import dev.stepwise.scheduler.IdScope;
import dev.stepwise.scheduler.OutOfScopeException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Refuses a request on {@code /api/v1/schedulers/{id}/...} whose id the caller's
 * {@link IdScope} does not permit (403), before the controller looks the id up: a GET
 * needs read access, every other method write access. Without a scope on the request
 * (authentication off) it costs one attribute lookup.
 */
class ScopeInterceptor implements HandlerInterceptor {

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		IdScope scope = IdScope.of(request.getAttribute(IdScope.ATTRIBUTE));
		if (scope != null
				&& request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables
				&& variables.get("id") instanceof String id) {
			String method = request.getMethod();
			OutOfScopeException.check(scope, id, !HttpMethod.GET.matches(method) && !HttpMethod.HEAD.matches(method));
		}
		return true;
	}

}
