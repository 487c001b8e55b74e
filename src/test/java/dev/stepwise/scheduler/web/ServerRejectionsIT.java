package dev.stepwise.scheduler.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Tomcat refuses before a servlet sees it, and the container's error page, answer
 * problems of the API's shape: never an HTML page, a stack trace or the server's version.
 * The requests go over a raw socket, since HTTP clients refuse to send most of them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServerRejectionsIT {

	private static final String LONG = "x".repeat(20_000);

	@LocalServerPort
	private int port;

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					encoded slash              | GET /api/v1/schedulers/a%2Fb/lr HTTP/1.1            |                    | 400 | malformed-request
					bad UTF-8 in the path      | GET /api/v1/schedulers/%C0%AF/lr HTTP/1.1           |                    | 400 | malformed-request
					bad percent-encoding       | GET /api/v1/schedulers/%zz/lr HTTP/1.1              |                    | 400 | malformed-request
					the error page itself      | GET /error HTTP/1.1                                 |                    | 404 | not-found
					the error page, posted     | POST /error HTTP/1.1                                |                    | 404 | not-found
					bad request line           | GET /api/v1/sched ulers HTTP/1.1                    |                    | 400 | malformed-request
					illegal header name        | GET /api/v1/schedulers HTTP/1.1                     | Bad Header: 1      | 400 | malformed-request
					URI too long               | GET /api/v1/schedulers/LONG/lr HTTP/1.1             |                    | 400 | malformed-request
					header too large           | GET /api/v1/schedulers HTTP/1.1                     | X-Big: LONG        | 400 | malformed-request
					""")
	void answersAProblem(String name, String requestLine, String header, int status, String type) throws IOException {
		StringBuilder request = new StringBuilder(requestLine.replace("LONG", LONG)).append("\r\nHost: localhost\r\n");
		if (header != null) {
			request.append(header.replace("LONG", LONG)).append("\r\n");
		}
		request.append("Connection: close\r\n\r\n");
		String response = exchange(request.toString());
		int headersEnd = response.indexOf("\r\n\r\n");
		String head = response.substring(0, headersEnd).toLowerCase(Locale.ROOT);
		String body = head.contains("transfer-encoding: chunked") ? unchunked(response.substring(headersEnd + 4))
				: response.substring(headersEnd + 4);
		assertThat(head).as(response).startsWith("http/1.1 " + status);
		assertThat(head).contains("content-type: application/problem+json").doesNotContain("server:");
		assertThat(body).doesNotContainIgnoringCase("<html").doesNotContainIgnoringCase("tomcat");
		JsonNode problem = JsonMapper.builder().build().readTree(body);
		assertThat(problem.get("type").asString()).isEqualTo("https://stepwise.dev/problems/" + type);
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("title").asString()).isNotBlank();
		assertThat(problem.get("detail").asString()).isNotBlank();
		assertThat(problem.has("trace") || problem.has("exception") || problem.has("properties")).isFalse();
	}

	private static String unchunked(String chunked) {
		StringBuilder body = new StringBuilder();
		int at = 0;
		while (true) {
			int lineEnd = chunked.indexOf("\r\n", at);
			int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
			if (size == 0) {
				return body.toString();
			}
			body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
			at = lineEnd + 2 + size + 2;
		}
	}

	private String exchange(String request) throws IOException {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
