package dev.stepwise.scheduler.web;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over the configured size with a 413 problem: at once when
 * {@code Content-Length} says so, or as soon as a body without one grows past the limit
 * (the {@link PayloadTooLargeException} then reaches the API's problem advice).
 */
class RequestSizeFilter extends OncePerRequestFilter {

	private final long maxBytes;

	private final JsonMapper jsonMapper;

	RequestSizeFilter(long maxBytes, JsonMapper jsonMapper) {
		this.maxBytes = maxBytes;
		this.jsonMapper = jsonMapper;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > this.maxBytes) {
			send(problem(this.maxBytes), request, response, this.jsonMapper);
			return;
		}
		chain.doFilter(new LimitedRequest(request, this.maxBytes), response);
	}

	/** The problem answered for a body over {@code maxBytes}. */
	static ProblemDetail problem(long maxBytes) {
		return ProblemType.PAYLOAD_TOO_LARGE.problem("The request body exceeds " + maxBytes + " bytes.");
	}

	/**
	 * Answers {@code problem} before the body was read, and closes the connection: what
	 * is left of the body is not worth reading.
	 */
	static void send(ProblemDetail problem, HttpServletRequest request, HttpServletResponse response,
			JsonMapper jsonMapper) throws IOException {
		response.setHeader("Connection", "close");
		write(problem, request, response, jsonMapper);
	}

	/** Answers {@code problem} from a filter, where the problem advice cannot. */
	static void write(ProblemDetail problem, HttpServletRequest request, HttpServletResponse response,
			JsonMapper jsonMapper) throws IOException {
		problem.setInstance(URI.create(request.getRequestURI()));
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		jsonMapper.writeValue(response.getOutputStream(), problem);
	}

	/**
	 * A body grew past the limit while it was read.
	 */
	public static final class PayloadTooLargeException extends IOException {

		private final long maxBytes;

		PayloadTooLargeException(long maxBytes) {
			super("Request body exceeds " + maxBytes + " bytes");
			this.maxBytes = maxBytes;
		}

		/** The limit. */
		public long maxBytes() {
			return this.maxBytes;
		}

	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long maxBytes;

		private LimitedRequest(HttpServletRequest request, long maxBytes) {
			super(request);
			this.maxBytes = maxBytes;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			return new LimitedInputStream(super.getInputStream(), this.maxBytes);
		}

	}

	private static final class LimitedInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long maxBytes;

		private long count;

		private LimitedInputStream(ServletInputStream delegate, long maxBytes) {
			this.delegate = delegate;
			this.maxBytes = maxBytes;
		}

		@Override
		public int read() throws IOException {
			int b = this.delegate.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.delegate.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws PayloadTooLargeException {
			this.count += n;
			if (this.count > this.maxBytes) {
				throw new PayloadTooLargeException(this.maxBytes);
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
