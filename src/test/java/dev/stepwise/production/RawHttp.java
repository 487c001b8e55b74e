package dev.stepwise.production;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte: what a hostile client can send (encoded
 * slashes, bad UTF-8, wrong lengths, garbage request lines) and a JDK client would refuse
 * to. One request per connection ({@code Connection: close}).
 */
final class RawHttp {

	/** The most of an answer kept: a problem is small, an HTML page is not. */
	private static final int MAX_ANSWER = 1 << 20;

	private RawHttp() {
	}

	/**
	 * An answer as it came: status, headers (names lower case) and body.
	 */
	record Answer(int status, Map<String, String> headers, String body) {

		String header(String name) {
			return this.headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
		}

		@Override
		public String toString() {
			return this.status + " " + this.headers + " "
					+ (this.body.length() > 400 ? this.body.substring(0, 400) + "..." : this.body);
		}

	}

	/** A request with a JSON body and a correct Content-Length. */
	static byte[] json(String method, String target, String body) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		return request(method, target, "Content-Type: application/json\r\n", bytes);
	}

	/** A request with no body. */
	static byte[] bodiless(String method, String target) {
		return (method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
	}

	/** A request with the given extra header lines (each ending in CRLF) and body. */
	static byte[] request(String method, String target, String headers, byte[] body) {
		byte[] head = (method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers
				+ "Content-Length: " + body.length + "\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
		byte[] all = new byte[head.length + body.length];
		System.arraycopy(head, 0, all, 0, head.length);
		System.arraycopy(body, 0, all, head.length, body.length);
		return all;
	}

	/**
	 * Sends the bytes and reads the answer until the server closes the connection.
	 * @throws SocketTimeoutException when no complete answer came within the timeout
	 */
	static Answer send(URI base, byte[] request, Duration timeout) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), (int) timeout.toMillis());
			socket.setSoTimeout((int) timeout.toMillis());
			OutputStream out = socket.getOutputStream();
			try {
				out.write(request);
				out.flush();
			}
			catch (IOException ex) {
				// the server may answer and close before it has read everything (413,
				// 400)
			}
			return parse(readAll(socket.getInputStream(), timeout));
		}
	}

	/**
	 * Reads until the answer is complete (by its Content-Length or last chunk) or the
	 * server closes: a server may keep the connection open after an error answer.
	 */
	private static byte[] readAll(InputStream in, Duration timeout) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		ByteArrayOutputStream answer = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			int n;
			while (answer.size() < MAX_ANSWER && !complete(answer.toByteArray()) && (n = in.read(buffer)) >= 0) {
				answer.write(buffer, 0, n);
				if (System.nanoTime() > deadline) {
					throw new SocketTimeoutException("the answer took longer than " + timeout);
				}
			}
		}
		catch (java.net.SocketException ex) {
			// a reset after the answer was written: keep what came
			if (answer.size() == 0) {
				throw ex;
			}
		}
		return answer.toByteArray();
	}

	private static boolean complete(byte[] raw) {
		String text = new String(raw, StandardCharsets.ISO_8859_1);
		int end = text.indexOf("\r\n\r\n");
		if (end < 0) {
			return false;
		}
		String head = text.substring(0, end).toLowerCase(Locale.ROOT);
		int bodyBytes = raw.length - end - 4;
		int length = head.indexOf("\r\ncontent-length:");
		if (length >= 0) {
			int lineEnd = head.indexOf("\r\n", length + 2);
			String value = head.substring(length + 17, (lineEnd < 0) ? head.length() : lineEnd).trim();
			return bodyBytes >= Long.parseLong(value);
		}
		if (head.contains("\r\ntransfer-encoding: chunked")) {
			return text.endsWith("\r\n0\r\n\r\n") || text.endsWith("\n0\r\n\r\n");
		}
		return false;
	}

	private static Answer parse(byte[] raw) throws IOException {
		String text = new String(raw, StandardCharsets.ISO_8859_1);
		int end = text.indexOf("\r\n\r\n");
		if (!text.startsWith("HTTP/1.1 ") || end < 0) {
			throw new IOException("not an HTTP answer: " + text.substring(0, Math.min(200, text.length())));
		}
		String[] lines = text.substring(0, end).split("\r\n");
		int status = Integer.parseInt(lines[0].substring(9, 12));
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).trim());
			}
		}
		byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
		if (headers.getOrDefault("transfer-encoding", "").equalsIgnoreCase("chunked")) {
			body = unchunk(body);
		}
		return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
	}

	private static byte[] unchunk(byte[] chunked) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		String text = new String(chunked, StandardCharsets.ISO_8859_1);
		int at = 0;
		while (at < chunked.length) {
			int lineEnd = text.indexOf("\r\n", at);
			if (lineEnd < 0) {
				break;
			}
			int size = Integer.parseInt(text.substring(at, lineEnd).split(";")[0].trim(), 16);
			if (size == 0) {
				break;
			}
			int start = lineEnd + 2;
			body.write(chunked, start, Math.min(chunked.length - start, size));
			at = start + size + 2;
		}
		return body.toByteArray();
	}

}
