package dev.stepwise.scheduler.web;

import java.io.IOException;

import dev.stepwise.system.FatalErrors;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Halts the process when a request ends with an out-of-memory error. Spring MVC would
 * otherwise turn the error into a 500 problem, and the process would go on half-dead, so
 * the guard sees it first, as the first exception resolver, and, for what happens outside
 * Spring MVC, as the outermost filter.
 */
class FatalErrorGuard implements Filter, HandlerExceptionResolver, Ordered {

	private final FatalErrors fatal;

	FatalErrorGuard(FatalErrors fatal) {
		this.fatal = fatal;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		try {
			chain.doFilter(request, response);
		}
		catch (ServletException | IOException | RuntimeException | Error ex) {
			this.fatal.check(ex, (request instanceof HttpServletRequest http)
					? http.getMethod() + " " + http.getRequestURI() : "a request");
			throw ex;
		}
	}

	/** Checks the handler's failure, then leaves it to the other resolvers. */
	@Override
	public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
			@Nullable Object handler, Exception ex) {
		this.fatal.check(ex, request.getMethod() + " " + request.getRequestURI());
		return null;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
