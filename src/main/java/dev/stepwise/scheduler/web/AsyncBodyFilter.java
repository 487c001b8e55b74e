package dev.stepwise.scheduler.web;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.stepwise.scheduler.ComputeBusyException;
import dev.stepwise.scheduler.ComputeTooLargeException;
import dev.stepwise.scheduler.MemoryBudget;
import dev.stepwise.scheduler.MemoryEstimate;
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
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads a request body in full before the request reaches Spring MVC, with Servlet
 * non-blocking IO: no thread waits while a slow or stalled client sends it. A body that
 * has not arrived within {@code stepwise.request-body-timeout} gets a 408 problem and the
 * connection is closed. Once the body is in, the request is dispatched again (an async
 * dispatch) with the body in memory; it is small, since {@link RequestSizeFilter}, before
 * this filter, bounds it.
 * <p>
 * A body larger than {@link MemoryEstimate#SMALL_BODY} holds memory in the
 * {@link MemoryBudget} from its first byte to the end of its request: its buffer while it
 * arrives, then what parsing it will take (up to 20 bytes per byte of JSON, see
 * {@link MemoryEstimate#parsedBody}). Without room it is answered at once, before it is
 * read: 503 with {@code Retry-After}, or 422 {@code memory-limit-exceeded} when it could
 * never fit. Thousands of connections sending large bodies slowly thus cannot fill the
 * heap, and a steps's or read's small body never waits for the budget.
 */
class AsyncBodyFilter extends OncePerRequestFilter {

	private static final Log logger = LogFactory.getLog(AsyncBodyFilter.class);

	private static final String BODY = AsyncBodyFilter.class.getName() + ".body";

	private final long timeoutMillis;

	private final JsonMapper jsonMapper;

	private final MemoryBudget budget;

	AsyncBodyFilter(Duration timeout, JsonMapper jsonMapper, MemoryBudget budget) {
		this.jsonMapper = jsonMapper;
		this.timeoutMillis = timeout.toMillis();
		this.budget = budget;
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
		long length = request.getContentLengthLong();
		MemoryBudget.@Nullable Reservation reservation = null;
		if (length < 0 || length > MemoryEstimate.SMALL_BODY) {
			try {
				reservation = this.budget.reserve(
						MemoryEstimate.bufferedBody((length < 0) ? MemoryEstimate.SMALL_BODY : length), Duration.ZERO);
			}
			catch (ComputeBusyException | ComputeTooLargeException ex) {
				RequestSizeFilter.send(refusal(ex, response), request, response, this.jsonMapper);
				return;
			}
		}
		AsyncContext async = request.startAsync();
		async.setTimeout(deadlineMillis());
		BodyReader reader = new BodyReader(request, response, async, request.getInputStream(), reservation);
		async.addListener(reader);
		reader.input.setReadListener(reader);
	}

	/**
	 * The timeout plus up to a quarter of it, at random: bodies that stalled together (a
	 * flood of slow clients) then expire over a few seconds, not all at once, and their
	 * answers and reconnections do not queue every normal request behind them.
	 */
	private long deadlineMillis() {
		return this.timeoutMillis + ThreadLocalRandom.current().nextLong(this.timeoutMillis / 4 + 1);
	}

	/**
	 * The problem for a body the budget has no room for, with {@code Retry-After} when a
	 * retry may find some.
	 */
	private static ProblemDetail refusal(RuntimeException ex, HttpServletResponse response) {
		if (ex instanceof ComputeTooLargeException tooLarge) {
			return ProblemAdvice.tooLarge(ProblemType.MEMORY_LIMIT_EXCEEDED.problem(tooLarge.getMessage()), tooLarge);
		}
		response.setHeader(HttpHeaders.RETRY_AFTER, "1");
		return ProblemType.SERVICE_UNAVAILABLE.problem(ex.getMessage());
	}

	/** The structural characters of a JSON text, each of which may become an object. */
	static long jsonTokens(byte[] body) {
		long tokens = 0;
		for (byte b : body) {
			if (b == '{' || b == '[' || b == ',' || b == ':') {
				tokens++;
			}
		}
		return tokens;
	}

	private static boolean hasBody(HttpServletRequest request) {
		long length = request.getContentLengthLong();
		return length > 0 || (length < 0 && request.getHeader("Transfer-Encoding") != null);
	}

	/**
	 * Collects a body as it arrives; the first of its end, its deadline or an error wins.
	 */
	private static final int READ_BUFFER_BYTES = 8192;

	private final class BodyReader implements ReadListener, AsyncListener {

		private final HttpServletRequest request;

		private final HttpServletResponse response;

		private final AsyncContext async;

		private final ServletInputStream input;

		private final ByteArrayOutputStream body;

		/**
		 * At most 8 KB, and no larger than a declared length: stalled bodies hold theirs.
		 */
		private final byte[] buffer;

		private final AtomicBoolean done = new AtomicBoolean();

		private final MemoryBudget.@Nullable Reservation reservation;

		BodyReader(HttpServletRequest request, HttpServletResponse response, AsyncContext async,
				ServletInputStream input, MemoryBudget.@Nullable Reservation reservation) {
			this.request = request;
			this.response = response;
			this.async = async;
			this.input = input;
			this.reservation = reservation;
			long length = request.getContentLengthLong();
			this.body = new ByteArrayOutputStream((length > 0) ? (int) Math.min(length, 64 * 1024) : 256);
			this.buffer = new byte[(length > 0) ? (int) Math.min(length, READ_BUFFER_BYTES) : READ_BUFFER_BYTES];
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
					if (this.reservation != null) {
						this.reservation.growTo(MemoryEstimate.bufferedBody(this.body.size()));
					}
				}
			}
			catch (PayloadTooLargeException ex) {
				answer(RequestSizeFilter.problem(ex.maxBytes()));
			}
			catch (ComputeBusyException | ComputeTooLargeException ex) {
				answer(refusal(ex, this.response));
			}
		}

		@Override
		public void onAllDataRead() {
			if (this.done.get()) {
				return;
			}
			byte[] bytes = this.body.toByteArray();
			if (this.reservation != null) {
				try {
					// held until the request completes: its parse, and what it builds
					// from it
					this.reservation.growTo(MemoryEstimate.parsedBody(bytes.length, jsonTokens(bytes)));
				}
				catch (ComputeBusyException | ComputeTooLargeException ex) {
					answer(refusal(ex, this.response));
					return;
				}
			}
			if (this.done.compareAndSet(false, true)) {
				this.request.setAttribute(BODY, bytes);
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
				.problem("The request body did not arrive within " + this.async.getTimeout() + " ms."));
		}

		@Override
		public void onError(AsyncEvent event) {
			onError(event.getThrowable());
		}

		@Override
		public void onComplete(AsyncEvent event) {
			if (this.reservation != null) {
				this.reservation.close();
			}
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
