package dev.stepwise.production;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/stepwise-*.jar}) running in a child JVM on a free
 * loopback port, logging to a file under {@code target/production-it/}.
 */
final class ServiceProcess implements AutoCloseable {

	static final Path TARGET = Path.of(System.getProperty("basedir", "."), "target");

	static final Path WORK = TARGET.resolve("production-it");

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);

	private final String name;

	private final Process process;

	private final Path log;

	private final URI base;

	private ServiceProcess(String name, Process process, Path log, URI base) {
		this.name = name;
		this.process = process;
		this.log = log;
		this.base = base;
	}

	/**
	 * Starts the jar and waits until {@code /actuator/health} answers 200.
	 * @param name a name for the log file, unique within a test run
	 * @param dataDir the service's {@code stepwise.data-dir}
	 * @param database the database to run on
	 * @return the running service
	 */
	static ServiceProcess start(String name, Path dataDir, Database database) throws IOException, InterruptedException {
		return start(name, dataDir, database, List.of("-Xmx256m"));
	}

	/**
	 * Starts the jar with these JVM options (the heap above all) and waits until
	 * {@code /actuator/health} answers 200.
	 */
	static ServiceProcess start(String name, Path dataDir, Database database, List<String> jvmOptions)
			throws IOException, InterruptedException {
		Files.createDirectories(WORK);
		Files.createDirectories(dataDir);
		int port = freePort();
		Path log = WORK.resolve(name + ".log");
		List<String> command = new ArrayList<>(List.of(javaBinary()));
		command.addAll(jvmOptions);
		command.addAll(List.of("-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar().toString(),
				"--server.address=127.0.0.1", "--server.port=" + port,
				"--stepwise.data-dir=" + dataDir.toAbsolutePath()));
		command.addAll(database.args());
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		database.applyTo(builder.environment());
		Files.writeString(log, "=== " + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
				java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
		ServiceProcess service = new ServiceProcess(name, builder.start(), log, URI.create("http://127.0.0.1:" + port));
		try {
			service.awaitHealthy();
		}
		catch (RuntimeException | IOException | InterruptedException ex) {
			service.kill();
			throw ex;
		}
		return service;
	}

	/** The base URI, e.g. {@code http://127.0.0.1:40123}. */
	URI base() {
		return this.base;
	}

	/** The process id of the service's JVM. */
	long pid() {
		return this.process.pid();
	}

	/**
	 * Waits at most {@code timeout} for the JVM to exit; its exit status, or -1 if it
	 * still runs.
	 */
	int awaitExit(Duration timeout) throws InterruptedException {
		return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? this.process.exitValue() : -1;
	}

	/** Whether the JVM is still running. */
	boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * SIGKILL: no shutdown hook, no connection pool close, no flush. Waits until the JVM
	 * is gone.
	 */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
			throw new IllegalStateException(this.name + " did not die after SIGKILL");
		}
	}

	/** SIGTERM (graceful shutdown), SIGKILL after 30 s. */
	@Override
	public void close() throws InterruptedException {
		if (!this.process.isAlive()) {
			return;
		}
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			kill();
		}
	}

	/** The last lines of the service's log, for failure messages. */
	String logTail(int lines) {
		try {
			List<String> all = Files.readAllLines(this.log, StandardCharsets.UTF_8);
			return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			return "(log " + this.log + " unreadable: " + ex + ")";
		}
	}

	@Override
	public String toString() {
		return this.name + " at " + this.base + " (log " + this.log + ")";
	}

	private void awaitHealthy() throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		HttpRequest health = HttpRequest.newBuilder(this.base.resolve("/actuator/health"))
			.timeout(Duration.ofSeconds(5))
			.build();
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with " + this.process.exitValue()
						+ " during startup; log " + this.log + ":\n" + logTail(60));
			}
			try {
				if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException(
				this.name + " not healthy after " + STARTUP_TIMEOUT + "; log " + this.log + ":\n" + logTail(60));
	}

	/** The executable jar built by {@code package}. */
	static Path jar() throws IOException {
		try (DirectoryStream<Path> jars = Files.newDirectoryStream(TARGET, "stepwise-*.jar")) {
			for (Path jar : jars) {
				return jar.toAbsolutePath();
			}
		}
		catch (java.nio.file.NoSuchFileException ex) {
			// reported below
		}
		throw new IllegalStateException("no target/stepwise-*.jar: these tests run in 'verify', after 'package'");
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}
