package dev.stepwise.scheduler.web;

import java.io.IOException;
import java.io.PrintWriter;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Tomcat's error report, for what it refuses before a servlet sees the request (an
 * encoded slash, bad percent-encoding or UTF-8 in the path, a malformed request line or
 * header): a problem of the API's shape instead of an HTML page with the server's
 * version. The path is not echoed, since it is what was malformed.
 */
class ProblemReportValve extends ErrorReportValve {

	private final JsonMapper jsonMapper;

	ProblemReportValve(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
		setShowReport(false);
		setShowServerInfo(false);
	}

	@Override
	protected void report(Request request, Response response, @Nullable Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		ProblemType type = ProblemType.forStatus(status);
		ProblemDetail problem = type.problem(status, (status >= 500) ? "The service failed to answer this request."
				: ErrorProblemController.rejected(status));
		try {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding("UTF-8");
			PrintWriter writer = response.getReporter();
			if (writer != null) {
				writer.write(this.jsonMapper.writeValueAsString(problem));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client is gone or the response was committed: nothing more to say
		}
	}

}
