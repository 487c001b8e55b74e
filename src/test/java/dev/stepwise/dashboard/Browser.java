package dev.stepwise.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's headless Chromium driven by its chromedriver, with the network (performance)
 * and console logs on: what the pages requested and what they complained about
 * ({@link #plain()} has them off, for timing). A fresh profile per browser, deleted on
 * close.
 */
final class Browser implements AutoCloseable {

	static final Path CHROMIUM = Path.of(env("STEPWISE_CHROMIUM", "/usr/bin/chromium"));

	static final Path CHROMEDRIVER = Path.of(env("STEPWISE_CHROMEDRIVER", "/usr/bin/chromedriver"));

	/** The size of the window, and so of the screenshots. */
	static final int WIDTH = 1280;

	static final int HEIGHT = 800;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ChromeDriver driver;

	private final Path profile;

	/** The schemes of the URLs that go over the network. */
	private static final List<String> NETWORK_SCHEMES = List.of("http:", "https:", "ws:", "wss:");

	/** Whether the network and console logs are on (off only for timing). */
	private final boolean logged;

	/** Every request the pages made since the browser started, with its method. */

	private final List<Request> requests = new ArrayList<>();

	/** Every console message of level SEVERE since the last check. */
	private final List<String> consoleErrors = new ArrayList<>();

	/**
	 * A request the browser sent.
	 *
	 * @param method the method
	 * @param url the URL
	 * @param ifNoneMatch its If-None-Match header, or null
	 */
	record Request(String method, String url, @Nullable String ifNoneMatch) {

	}

	private Browser(ChromeDriver driver, Path profile, boolean logged) {
		this.driver = driver;
		this.profile = profile;
		this.logged = logged;
	}

	/**
	 * Skips the calling test class where Chromium is missing, unless
	 * {@code STEPWISE_BROWSER=required} (CI), where a missing browser fails it.
	 */
	static void assumeInstalled() {
		boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
		String message = "the browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
				+ " (apt-get install chromium chromium-driver)";
		if ("required".equals(System.getenv("STEPWISE_BROWSER"))) {
			assertThat(installed).as(message + "; STEPWISE_BROWSER=required").isTrue();
		}
		Assumptions.assumeTrue(installed, message);
	}

	/** A browser with the network and console logs on, as the tests need. */
	static Browser start() {
		return start(true);
	}

	/**
	 * A browser without the logs, as a person's: for timing only. With the network log
	 * on, chromedriver receives every network event of the page over the DevTools
	 * protocol, which on 2 cores delays a cold page by a few hundred milliseconds.
	 */
	static Browser plain() {
		return start(false);
	}

	private static Browser start(boolean logged) {
		try {
			Path profile = Files.createTempDirectory("stepwise-chromium");
			ChromeOptions options = new ChromeOptions();
			options.setBinary(CHROMIUM.toFile());
			options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
					"--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
					"--disable-dev-shm-usage", "--window-size=" + WIDTH + "," + HEIGHT, "--user-data-dir=" + profile);
			if (logged) {
				LoggingPreferences logs = new LoggingPreferences();
				logs.enable(LogType.BROWSER, Level.ALL);
				logs.enable(LogType.PERFORMANCE, Level.ALL);
				options.setCapability("goog:loggingPrefs", logs);
			}
			ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
				.usingAnyFreePort()
				.build();
			ChromeDriver driver = new ChromeDriver(service, options);
			driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
			// the page's own size, whatever the window around it takes
			driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
					Map.of("width", WIDTH, "height", HEIGHT, "deviceScaleFactor", 1, "mobile", false));
			return new Browser(driver, profile, logged);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	WebDriver driver() {
		return this.driver;
	}

	void open(URI url) {
		this.driver.get(url.toString());
	}

	/**
	 * Runs a script in the page; its value (numbers as Long or Double, arrays as lists).
	 */
	@Nullable Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) this.driver).executeScript(script, arguments);
	}

	/** Waits up to 20 s for a condition. */
	<T> T await(String what, Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, Duration.ofSeconds(20)).withMessage(what).until(condition);
	}

	/** Waits until the page's charts (or list) have drawn their data. */
	void awaitReady() {
		await("the page to draw its data",
				(driver) -> Boolean.TRUE.equals(script("return Boolean(window.stepwise && window.stepwise.ready)")));
	}

	/** The requests made so far, read from the performance log. */
	List<Request> requests() {
		assertLogged();
		for (LogEntry entry : this.driver.manage().logs().get(LogType.PERFORMANCE)) {
			JsonNode message = JSON.readTree(entry.getMessage()).path("message");
			if ("Network.requestWillBeSent".equals(message.path("method").asString())) {
				JsonNode request = message.path("params").path("request");
				JsonNode etag = request.path("headers").path("If-None-Match");
				this.requests.add(new Request(request.path("method").asString(), request.path("url").asString(),
						etag.isMissingNode() ? null : etag.asString()));
			}
		}
		return List.copyOf(this.requests);
	}

	/**
	 * Fails when a page sent a request over the network to anything but the service. Only
	 * {@link #NETWORK_SCHEMES} reach the network: Chromium's own pages ({@code chrome:},
	 * {@code chrome-untrusted:}, which Chromium 150's new tab page loads), {@code data:},
	 * {@code blob:} and {@code about:} URLs never leave the browser.
	 */
	void assertEveryRequestStayedOn(URI service) {
		String origin = service.getScheme() + "://" + service.getAuthority() + "/";
		List<String> network = requests().stream()
			.map(Request::url)
			.filter((url) -> NETWORK_SCHEMES.stream().anyMatch(url::startsWith))
			.toList();
		assertThat(network).isNotEmpty()
			.allSatisfy((url) -> assertThat(url).as("a request that left the service").startsWith(origin));
	}

	/**
	 * Fails on any console error since the last check: script errors, CSP violations,
	 * failed loads, except the API's answers of the given statuses (a test that provokes
	 * a problem on purpose; Chromium logs each non-2xx fetch).
	 */
	void assertNoConsoleErrors(int... expectedStatuses) {
		assertLogged();
		for (LogEntry entry : this.driver.manage().logs().get(LogType.BROWSER)) {
			if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
				this.consoleErrors.add(entry.getMessage());
			}
		}
		List<String> errors = this.consoleErrors.stream()
			.filter((message) -> !expected(message, expectedStatuses))
			.toList();
		this.consoleErrors.clear();
		assertThat(errors).as("console errors").isEmpty();
	}

	private void assertLogged() {
		if (!this.logged) {
			throw new IllegalStateException("this browser was started without its logs (Browser.plain())");
		}
	}

	private static boolean expected(String message, int[] statuses) {
		for (int status : statuses) {
			if (message.contains("/api/v1/") && message.contains("status of " + status)) {
				return true;
			}
		}
		return false;
	}

	/** Saves a PNG of the window when STEPWISE_SCREENSHOTS names a directory. */
	void screenshot(String name) {
		String directory = System.getenv("STEPWISE_SCREENSHOTS");
		if (directory == null || directory.isBlank()) {
			return;
		}
		try {
			script("window.scrollTo(0, 0)");
			Path file = Path.of(directory).resolve(name + ".png");
			Files.createDirectories(file.getParent());
			Files.write(file, this.driver.getScreenshotAs(OutputType.BYTES));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			try {
				FileSystemUtils.deleteRecursively(this.profile);
			}
			catch (IOException ex) {
				// a profile Chromium still writes to is left behind in the temp dir
			}
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

}
