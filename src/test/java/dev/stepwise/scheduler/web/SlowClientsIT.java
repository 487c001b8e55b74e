package dev.stepwise.scheduler.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.stepwise.TestSchedulers;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stalled clients on a real Tomcat with its 200 worker threads: 300 connections that sent
 * their headers and one byte of a 100-byte body, and 100 that sent half a request line,
 * hold no thread, so reads are still answered; a stalled body gets a 408 problem after
 * the body deadline (2 s here) and its connection is closed, stalled headers are closed
 * after the connection timeout (20 s here, so that a thread blocked on a body read would
 * not be freed before the reads gave up), and a body that arrives slowly but in time is
 * served.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "stepwise.request-body-timeout=2s", "server.tomcat.connection-timeout=20s" })
@AutoConfigureRestTestClient
class SlowClientsIT {

	private static final int STALLED_BODIES = 300;

	private static final int STALLED_HEADERS = 100;

	@LocalServerPort
	private int port;

	@Autowired
	private RestTestClient client;

	private final List<Socket> sockets = new ArrayList<>();

	@AfterEach
	void close() throws IOException {
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

	@Test
	void stalledClientsHoldNoThreadAndAreAnsweredOrClosedAfterTheirDeadline() throws Exception {
		String id = register();
		List<Socket> bodies = new ArrayList<>();
		for (int i = 0; i < STALLED_BODIES; i++) {
			bodies.add(open("POST /api/v1/schedulers/" + id + "/steps HTTP/1.1\r\nHost: localhost\r\n"
					+ "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"));
		}
		List<Socket> headers = new ArrayList<>();
		for (int i = 0; i < STALLED_HEADERS; i++) {
			headers.add(open("GET /api/v1/schedulers/" + id + "/l"));
		}
		// more stalled requests than worker threads, and reads are still answered: the 10
		// s
		// bound only tells an answer from a thread that waits for the 20 s read timeout
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		for (int i = 0; i < 20; i++) {
			HttpResponse<String> lr = http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/schedulers/" + id + "/lr"))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(lr.statusCode()).isEqualTo(200);
			assertThat(lr.body()).contains("\"last_epoch\":0");
		}
		String answer = readAll(bodies.get(0));
		assertThat(answer).startsWith("HTTP/1.1 408 ")
			.contains("Connection: close")
			.contains("application/problem+json")
			.contains("\"type\":\"https://stepwise.dev/problems/request-timeout\"");
		assertThat(readAll(bodies.get(STALLED_BODIES - 1))).startsWith("HTTP/1.1 408 ");
		assertThat(readAll(headers.get(0))).isEmpty();
		// the stalled steps were never taken
		this.client.get()
			.uri("/api/v1/schedulers/" + id + "/lr")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.last_epoch")
			.isEqualTo(0);
	}

	@Test
	void heldConnectionsUseSmallSocketBuffersAndAreRecycled(@Autowired WebServerApplicationContext context) {
		Connector connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();
		String buffer = String.valueOf(SlowClientConfiguration.SOCKET_BUFFER_BYTES);
		assertThat(property(connector, "socket.appReadBufSize")).isEqualTo(buffer);
		assertThat(property(connector, "socket.appWriteBufSize")).isEqualTo(buffer);
		// as many recycled buffers and processors as connections
		String connections = property(connector, "maxConnections");
		assertThat(connections).isEqualTo("2048");
		assertThat(property(connector, "socket.bufferPool")).isEqualTo(connections);
		assertThat(property(connector, "processorCache")).isEqualTo(connections);
		assertThat(property(connector, "maxHttpResponseHeaderSize")).isEqualTo("4096");
	}

	private static String property(Connector connector, String name) {
		return String.valueOf(connector.getProperty(name));
	}

	@Test
	void aBodyThatArrivesSlowlyButInTimeIsServed() throws Exception {
		String id = register();
		String body = "{\"epoch\": 1, \"metric\": 0.5}";
		Socket socket = open("POST /api/v1/schedulers/" + id + "/steps HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nConnection: close\r\nContent-Length: " + body.length() + "\r\n\r\n"
				+ body.substring(0, 5));
		Thread.sleep(500);
		send(socket, body.substring(5, 12));
		Thread.sleep(500);
		send(socket, body.substring(12));
		String answer = readAll(socket);
		assertThat(answer).startsWith("HTTP/1.1 200 ").contains("\"last_epoch\":1").contains("\"replayed\":false");
	}

	@Test
	void aChunkedBodyOverTheLimitIs413() throws Exception {
		String id = register();
		Socket socket = open("POST /api/v1/schedulers/" + id + "/steps HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
		byte[] chunk = ("10000\r\n" + " ".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
		try {
			for (int i = 0; i < 20; i++) {
				socket.getOutputStream().write(chunk);
			}
		}
		catch (SocketException ex) {
			// closed after the 413, before all was sent
		}
		assertThat(readAll(socket)).startsWith("HTTP/1.1 413 ").contains("payload-too-large");
	}

	private String register() {
		return TestSchedulers.registerStepLR(this.client, "slow-");
	}

	private Socket open(String start) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port);
		this.sockets.add(socket);
		socket.setSoTimeout(30_000);
		send(socket, start);
		return socket;
	}

	private static void send(Socket socket, String text) throws IOException {
		OutputStream out = socket.getOutputStream();
		out.write(text.getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	/**
	 * What the server sends until it closes the connection (a reset counts as closed).
	 */
	private static String readAll(Socket socket) throws IOException {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		InputStream in = socket.getInputStream();
		byte[] buffer = new byte[4096];
		try {
			for (int n; (n = in.read(buffer)) >= 0;) {
				received.write(buffer, 0, n);
			}
		}
		catch (SocketException ex) {
			// reset by the server
		}
		return received.toString(StandardCharsets.UTF_8);
	}

}
