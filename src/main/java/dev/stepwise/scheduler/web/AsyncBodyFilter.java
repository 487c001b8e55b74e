package dev.stepwise.scheduler.web;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.stepwise.scheduler.web.RequestSizeFilter.PayloadTooLargeException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads a request body in full before the request reaches Spring MVC, with Servlet
 * non-blocking IO: no thread waits while a slow or stalled client sends it. A body that
 * has not arrived within {@code stepwise.request-body-timeout} gets a 408 problem and the
 * connection is closed. Once the body is in, the request is dispatched again (an async
 * dispatch) with the body in memory; it is small, since {@link RequestSizeFilter}, before
 * this filter, bounds it.
 */
class AsyncBodyFilter extends OncePerRequestFilter {

	private static final Log logger = LogFactory.getLog(AsyncBodyFilter.class);

	private static final String BODY = AsyncBodyFilter.class.getName() + ".body";

	private final long timeoutMillis;

	private final JsonMapper jsonMapper;

	AsyncBodyFilter(Duration timeout, JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
		this.timeoutMillis = timeout.toMillis();
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getDispatcherType() == DispatcherType.ASYNC) {
			Object body = request.getAttribute(BODY);
			if (body instanceof byte[] bytes) {
				request.removeAttribute(BODY);
				chain.doFilter(new BufferedRequest(request, bytes), response);
				return;
			}
		}
		if (request.getDispatcherType() != DispatcherType.REQUEST || !hasBody(request) || !request.isAsyncSupported()) {
			chain.doFilter(request, response);
			return;
		}
		AsyncContext async = request.startAsync();
		async.setTimeout(this.timeoutMillis);
		BodyReader reader = new BodyReader(request, response, async, request.getInputStream());
		async.addListener(reader);
		reader.input.setReadListener(reader);
	}

	private static boolean hasBody(HttpServletRequest request) {
		long length = request.getContentLengthLong();
		return length > 0 || (length < 0 && request.getHeader("Transfer-Encoding") != null);
	}

	/**
	 * Collects a body as it arrives; the first of its end, its deadline or an error wins.
	 */
	private final class BodyReader implements ReadListener, AsyncListener {

		private final HttpServletRequest request;

		private final HttpServletResponse response;

		private final AsyncContext async;

		private final ServletInputStream input;

		private final ByteArrayOutputStream body;

		private final byte[] buffer = new byte[8192];

		private final AtomicBoolean done = new AtomicBoolean();

		BodyReader(HttpServletRequest request, HttpServletResponse response, AsyncContext async,
				ServletInputStream input) {
			this.request = request;
			this.response = response;
			this.async = async;
			this.input = input;
			long length = request.getContentLengthLong();
			this.body = new ByteArrayOutputStream((length > 0) ? (int) Math.min(length, 64 * 1024) : 256);
		}

		@Override
		public void onDataAvailable() throws IOException {
			try {
				while (this.input.isReady()) {
					int n = this.input.read(this.buffer);
					if (n < 0) {
						return;
					}
					this.body.write(this.buffer, 0, n);
				}
			}
			catch (PayloadTooLargeException ex) {
				answer(RequestSizeFilter.problem(ex.maxBytes()));
			}
		}

		@Override
		public void onAllDataRead() {
			if (this.done.compareAndSet(false, true)) {
				this.request.setAttribute(BODY, this.body.toByteArray());
				this.async.dispatch();
			}
		}

		@Override
		public void onError(Throwable failure) {
			// the client went away, or stopped sending for longer than the connection
			// timeout
			logger.debug("Reading a request body failed", failure);
			answer(ProblemType.REQUEST_TIMEOUT.problem("The request body did not arrive in time."));
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			answer(ProblemType.REQUEST_TIMEOUT
				.problem("The request body did not arrive within " + AsyncBodyFilter.this.timeoutMillis + " ms."));
		}

		@Override
		public void onError(AsyncEvent event) {
			onError(event.getThrowable());
		}

		@Override
		public void onComplete(AsyncEvent event) {
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
		}

		private void answer(ProblemDetail problem) {
			if (!this.done.compareAndSet(false, true)) {
				return;
			}
			try {
				if (!this.response.isCommitted()) {
					RequestSizeFilter.send(problem, this.request, this.response, AsyncBodyFilter.this.jsonMapper);
				}
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Could not answer " + problem.getStatus(), ex);
			}
			finally {
				this.async.complete();
			}
		}

	}

	/** The request with its body, read already, in memory. */
	private static final class BufferedRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		BufferedRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			return new MemoryInputStream(this.body);
		}

		@Override
		public BufferedReader getReader() throws IOException {
			String encoding = getCharacterEncoding();
			return new BufferedReader(new InputStreamReader(getInputStream(),
					(encoding != null) ? encoding : StandardCharsets.UTF_8.name()));
		}

	}

	private static final class MemoryInputStream extends ServletInputStream {

		private final ByteArrayInputStream bytes;

		MemoryInputStream(byte[] body) {
			this.bytes = new ByteArrayInputStream(body);
		}

		@Override
		public int read() {
			return this.bytes.read();
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			return this.bytes.read(buffer, offset, length);
		}

		@Override
		public boolean isFinished() {
			return this.bytes.available() == 0;
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setReadListener(ReadListener listener) {
			throw new IllegalStateException("The body has been read already");
		}

	}

}
