package dev.stepwise.scheduler.web;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Hidden;

/**
 * The servlet container's error page, in place of Boot's {@code BasicErrorController}:
 * what fails outside the problem advice (a filter, the container's own {@code sendError})
 * is answered as a problem of the same shape, and {@code /error} itself is no resource.
 */
@RestController
@Hidden
class ErrorProblemController implements ErrorController {

	private static final Log log = LogFactory.getLog(ErrorProblemController.class);

	@RequestMapping("${server.error.path:/error}")
	@Nullable ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
		if (exception instanceof IOException
				|| (exception instanceof Throwable failure && ProblemAdvice.clientGone(failure))) {
			// the container's read or write failed: the client hung up, there is no one
			// to
			// answer and nothing of ours failed
			log.debug("The client went away: " + exception);
			return null;
		}
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		if (!(code instanceof Integer status)) {
			return respond(ProblemType.NOT_FOUND.problem(404, "No resource " + request.getRequestURI() + "."),
					request.getRequestURI());
		}
		String uri = String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
		ProblemType type = ProblemType.forStatus(status);
		if (status >= 500) {
			log.error("Failure outside the API's handlers",
					(exception instanceof Throwable throwable) ? throwable : null);
			return respond(type.problem(status, "The service failed to answer this request."), uri);
		}
		return respond(type.problem(status, rejected(status)), uri);
	}

	/** The detail of a request the server refused before the API saw it. */
	static String rejected(int status) {
		return "The request was rejected before it reached the API (HTTP " + status + "): a malformed or too large"
				+ " request line, header or URI, e.g. an encoded slash or bad percent-encoding in the path.";
	}

	private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, @Nullable String uri) {
		if (uri != null) {
			problem.setInstance(ProblemAdvice.instance(uri));
		}
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
