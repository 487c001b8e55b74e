package dev.stepwise.scheduler.web;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import org.apache.catalina.connector.ClientAbortException;
import org.junit.jupiter.api.Test;
import tools.jackson.core.exc.JacksonIOException;

import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that hangs up before its answer is written is no failure of the service: no
 * answer is attempted and nothing is logged as an error (a stack trace per hang-up let a
 * client flood the log: 3 ERROR traces per stalled body closed by its client, seen in
 * {@code bench/stalled.py}).
 */
class ClientHangUpTests {

	private final ErrorProblemController errors = new ErrorProblemController();

	@Test
	void aWriteToAClosedAsyncResponseIsAHangUpAtAnyDepth() {
		AsyncRequestNotUsableException closed = new AsyncRequestNotUsableException(
				"ServletOutputStream failed to write: The response may not be written to once it has been closed");
		HttpMessageNotWritableException write = new HttpMessageNotWritableException("Could not write JSON",
				JacksonIOException.construct(closed));
		assertThat(ProblemAdvice.clientGone(write)).isTrue();
		assertThat(ProblemAdvice.clientGone(new ClientAbortException("Broken pipe"))).isTrue();
		assertThat(ProblemAdvice.clientGone(new HttpMessageNotWritableException("No converter"))).isFalse();
		assertThat(ProblemAdvice.clientGone(new IllegalStateException(new IOException("disk full")))).isFalse();
	}

	@Test
	void theErrorPageAnswersNobodyWhenTheContainersReadOrWriteFailed() {
		MockHttpServletRequest request = errorDispatch(500, new IOException("Connection reset by peer"));
		assertThat(this.errors.error(request)).isNull();
	}

	@Test
	void theErrorPageStillAnswersAFailureOfOurs() {
		MockHttpServletRequest request = errorDispatch(500, new IllegalStateException("a bug"));
		ResponseEntity<?> answer = this.errors.error(request);
		assertThat(answer).isNotNull();
		assertThat(answer.getStatusCode().value()).isEqualTo(500);
	}

	private static MockHttpServletRequest errorDispatch(int status, Throwable exception) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/error");
		request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
		request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, exception);
		request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, "/api/v1/schedulers/a/steps");
		return request;
	}

}
