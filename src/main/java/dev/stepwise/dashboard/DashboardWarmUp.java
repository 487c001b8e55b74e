package dev.stepwise.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Loads the dashboard once before the service reports ready, as a browser would: the
 * pages, their assets, the jobs list and every read of the job page of the longest job
 * (its details, attempts, downsampled history, lr finder, state and lr). The first
 * request of each path runs cold code (class loading, Spring's and Jackson's caches, H2's
 * query plans) and took seconds; after this a person who opens the dashboard right after
 * a restart does not wait for it. It runs as an {@link ApplicationRunner}, so readiness
 * turns {@code UP} only once it is done (at most {@link #DEADLINE}); it reads through the
 * HTTP API on the loopback, with the admin token when authentication is on, stops at the
 * first server error (the database is down or slow) and never fails the startup. Off with
 * {@code stepwise.dashboard.warm-up=false}.
 */
@Component
@ConditionalOnBooleanProperty(name = "stepwise.dashboard.warm-up", matchIfMissing = true)
class DashboardWarmUp implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(DashboardWarmUp.class);

	/** The whole warm-up stops after this long: a slow database only delays readiness. */
	static final Duration DEADLINE = Duration.ofSeconds(30);

	/**
	 * The points of the history read: a page asks for twice the window's width in pixels,
	 * so its first read is downsampled anew rather than taken from this one's cache.
	 */
	static final int HISTORY_POINTS = 1000;

	/**
	 * How many times the history is read, each time with one point fewer (downsampled
	 * anew): the first read after a start took about twice as long as the fifth (H2,
	 * 1,000,000 records, 2 cores), the downsampling's code still interpreted.
	 */
	static final int HISTORY_READS = 5;

	/** The points of a sparkline in the jobs list (jobs.js). */
	static final int SPARKLINE_POINTS = 60;

	/** The assets and WebJars a page names (its scripts, styles, icon, import map). */
	private static final Pattern ASSET = Pattern.compile("\"(/(?:dashboard|webjars)/[^\"?#]+)\"");

	/** The first id of a list answer. */
	private static final Pattern FIRST_ID = Pattern
		.compile("\"items\"\\s*:\\s*\\[\\s*\\{\\s*\"id\"\\s*:\\s*\"([^\"]+)\"");

	private final Environment environment;

	DashboardWarmUp(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void run(ApplicationArguments args) {
		String base = base();
		if (base == null) {
			logger.info("Dashboard warm-up skipped: the service's own port is not known, or it serves TLS only");
			return;
		}
		long start = System.nanoTime();
		try {
			List<Read> reads = warmUp(base, System.nanoTime() + DEADLINE.toNanos());
			long failed = reads.stream().filter((read) -> read.status() >= 400).count();
			logger.info("Warmed up the dashboard with " + reads.size() + " reads in "
					+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms"
					+ ((failed > 0) ? " (" + failed + " answered an error: " + reads + ")" : ""));
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Dashboard warm-up stopped after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
					+ " ms; the first pages will be slower: " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A read of the warm-up and its answer's status. */
	record Read(String path, int status) {

		@Override
		public String toString() {
			return this.path + " " + this.status;
		}

	}

	/**
	 * Reads what the pages read, from {@code base} (the service's root URL), until
	 * {@code deadline} ({@link System#nanoTime()}).
	 */
	List<Read> warmUp(String base, long deadline) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		Reader reader = new Reader(client, base, authorization(), deadline);
		String jobPage = reader.read("/schedulers/warm-up");
		Set<String> assets = new LinkedHashSet<>();
		Matcher asset = ASSET.matcher(jobPage);
		while (asset.find()) {
			assets.add(asset.group(1));
		}
		for (String path : assets) {
			reader.read(path);
		}
		for (String page : List.of("/", "/designer", "/compare")) {
			reader.read(page);
		}
		String list = reader.read("/api/v1/schedulers?page=0&size=20&sort=created_at&direction=desc");
		String longest = firstId(reader.read("/api/v1/schedulers?page=0&size=1&sort=last_epoch&direction=desc"));
		String id = (longest != null) ? longest : firstId(list);
		if (id != null) {
			String path = "/api/v1/schedulers/" + id;
			reader.read(path + "/history?points=" + SPARKLINE_POINTS);
			reader.read(path);
			reader.read(path + "/attempts");
			for (int read = 0; read < HISTORY_READS; read++) {
				reader.read(path + "/history?points=" + (HISTORY_POINTS - read));
			}
			reader.read(path + "/lr-finder");
			reader.read(path + "/state");
			reader.read(path + "/lr");
		}
		return reader.reads;
	}

	private static @Nullable String firstId(String list) {
		Matcher id = FIRST_ID.matcher(list);
		// ids are [A-Za-z0-9._-]: safe in a path as they are
		return id.find() ? id.group(1) : null;
	}

	/**
	 * The service's root URL on this host: the loopback unless {@code server.address}
	 * names one address; {@code null} before the server listens or with TLS.
	 */
	private @Nullable String base() {
		String port = this.environment.getProperty("local.server.port");
		if (port == null || this.environment.getProperty("server.ssl.enabled", Boolean.class, false)) {
			return null;
		}
		String address = this.environment.getProperty("server.address", "");
		String host = switch (address) {
			case "", "0.0.0.0", "::", "[::]" -> "127.0.0.1";
			default -> address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
		};
		return "http://" + host + ":" + port + this.environment.getProperty("server.servlet.context-path", "");
	}

	private @Nullable String authorization() {
		String token = this.environment.getProperty("stepwise.auth.admin-token");
		return (token == null || token.isBlank()) ? null : "Bearer " + token;
	}

	/** Reads paths one after the other until the deadline, noting each answer. */
	private static final class Reader {

		private final HttpClient client;

		private final String base;

		private final @Nullable String authorization;

		private final long deadline;

		private final List<Read> reads = new ArrayList<>();

		Reader(HttpClient client, String base, @Nullable String authorization, long deadline) {
			this.client = client;
			this.base = base;
			this.authorization = authorization;
			this.deadline = deadline;
		}

		String read(String path) throws IOException, InterruptedException {
			long left = this.deadline - System.nanoTime();
			if (left <= 0) {
				throw new IOException("deadline of " + DEADLINE.toSeconds() + " s passed before " + path);
			}
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
				.timeout(Duration.ofNanos(left))
				.header("User-Agent", "stepwise-warm-up");
			if (this.authorization != null) {
				request.header("Authorization", this.authorization);
			}
			HttpResponse<String> answer = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			this.reads.add(new Read(path, answer.statusCode()));
			if (answer.statusCode() >= 500) {
				// the database is down or slow: each further read would wait as long
				throw new IOException(path + " answered " + answer.statusCode());
			}
			return answer.body();
		}

	}

}
