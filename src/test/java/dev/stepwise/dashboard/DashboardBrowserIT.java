package dev.stepwise.dashboard;

import java.net.URI;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import dev.stepwise.access.Http;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The dashboard in a real browser against the running service: it registers and steps
 * real schedulers through the API, then checks that each page shows them, that the
 * charts' series are the history the API answers, that the designer previews a typed spec
 * and shows the problem's errors at their fields, and, after every test, that no request
 * left the service and no console error appeared. With {@code STEPWISE_SCREENSHOTS=DIR}
 * it saves a PNG of each page there (the README's).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserIT {

	/** Ids of this run: a shared database may hold other runs' schedulers. */
	private static final String RUN = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());

	static final String ONE_CYCLE = "resnet50-1cycle-" + RUN;

	static final String WARMUP_COSINE = "vit-warmup-cosine-" + RUN;

	static final String HF_LINEAR = "bert-linear-" + RUN;

	static final String COSINE = "gpt-cosine-" + RUN;

	static final String STEP = "cnn-step-" + RUN;

	static final String LONG = "llama-long-" + RUN;

	static final String RANGE_TEST = "lr-range-test-" + RUN;

	@LocalServerPort
	private int port;

	private URI base;

	private Http http;

	private Browser browser;

	/** The API's statuses a test provokes on purpose (Chromium logs each as an error). */
	private int[] expectedStatuses = {};

	@BeforeAll
	void registerAndStepSchedulers() {
		Browser.assumeInstalled();
		this.base = URI.create("http://127.0.0.1:" + this.port);
		this.http = new Http(this.base);
		// a 1cycle over two groups, restarted: a new attempt resumes from its checkpoint
		// at 25
		register(ONE_CYCLE, "[{\"lr\": 0.1, \"momentum\": 0.9}, {\"lr\": 0.01, \"momentum\": 0.9}]",
				"{\"type\": \"OneCycleLR\", \"max_lr\": [0.1, 0.01], \"total_steps\": 60}", null);
		step(ONE_CYCLE, 1, 40, null, DashboardBrowserIT::loss);
		register(ONE_CYCLE, "[{\"lr\": 0.1, \"momentum\": 0.9}, {\"lr\": 0.01, \"momentum\": 0.9}]",
				"{\"type\": \"OneCycleLR\", \"max_lr\": [0.1, 0.01], \"total_steps\": 60}", ONE_CYCLE + "/1");
		ok(this.http.post("/api/v1/schedulers/" + ONE_CYCLE + "/resume", null,
				"{\"last_epoch\": 25, \"attempt\": \"" + ONE_CYCLE + "/1\"}"));
		step(ONE_CYCLE, 26, 45, ONE_CYCLE + "/1", DashboardBrowserIT::loss);
		register(WARMUP_COSINE, "[{\"lr\": 0.0003}]",
				"{\"type\": \"SequentialLR\", \"milestones\": [10], \"schedulers\": ["
						+ "{\"type\": \"LinearLR\", \"start_factor\": 0.01, \"total_iters\": 10},"
						+ " {\"type\": \"CosineAnnealingLR\", \"T_max\": 70}]}",
				null);
		step(WARMUP_COSINE, 1, 64, null, DashboardBrowserIT::loss);
		register(HF_LINEAR, "[{\"lr\": 0.00005}]",
				"{\"type\": \"linear\", \"num_warmup_steps\": 6, \"num_training_steps\": 40}", null);
		step(HF_LINEAR, 1, 28, null, DashboardBrowserIT::loss);
		register(COSINE, "[{\"lr\": 0.05}]", "{\"type\": \"CosineAnnealingLR\", \"T_max\": 50}", null);
		step(COSINE, 1, 20, null, (epoch) -> null);
		register(STEP, "[{\"lr\": 0.1, \"momentum\": 0.9}]", "{\"type\": \"StepLR\", \"step_size\": 10}", null);
		step(STEP, 1, 33, null, DashboardBrowserIT::loss);
		register(LONG, "[{\"lr\": 0.02}]", "{\"type\": \"CosineAnnealingLR\", \"T_max\": 150}", null);
		step(LONG, 1, 600, null, DashboardBrowserIT::loss);
		register(RANGE_TEST, "[{\"lr\": 0.1}]", "{\"type\": \"stepwise.LRRangeTest\", \"start_lr\": 1e-5,"
				+ " \"end_lr\": 1.0, \"num_steps\": 40, \"early_stop_threshold\": null}", null);
		// the loss falls from lr 1e-4 and rises again past 1e-2
		step(RANGE_TEST, 1, 40, null,
				(epoch) -> 2.0 - 1.5 / (1 + Math.exp(-(epoch - 16) / 3.0)) + ((epoch > 30) ? 0.3 * (epoch - 30) : 0.0));
		this.browser = Browser.start();
	}

	@AfterEach
	void nothingLeftTheServiceAndNothingFailed() {
		if (this.browser != null) {
			this.browser.assertEveryRequestStayedOn(this.base);
			this.browser.assertNoConsoleErrors(this.expectedStatuses);
		}
		this.expectedStatuses = new int[0];
	}

	@AfterAll
	void closeTheBrowser() {
		if (this.browser != null) {
			this.browser.close();
		}
	}

	@Test
	void theListShowsEverySchedulerPagedFilteredAndSorted() {
		open("/");
		this.browser.screenshot("jobs");
		open("/?q=" + RUN);
		assertThat(rowIds()).containsExactlyInAnyOrder(ONE_CYCLE, WARMUP_COSINE, HF_LINEAR, COSINE, STEP, LONG,
				RANGE_TEST);
		WebElement oneCycle = row(ONE_CYCLE);
		assertThat(oneCycle.findElement(By.cssSelector(".type-pill")).getText()).isEqualTo("OneCycleLR");
		assertThat(oneCycle.findElement(By.cssSelector("[data-col=epoch]")).getText()).startsWith("45");
		double lr = current(ONE_CYCLE).path("param_groups").get(0).path("lr").asDouble();
		String shown = oneCycle.findElement(By.cssSelector("[data-col=lr]")).getText().split(",")[0];
		assertThat(Double.parseDouble(shown)).isCloseTo(lr, within(Math.abs(lr) * 1e-5));
		this.browser.await("a sparkline in every row",
				(driver) -> driver.findElements(By.cssSelector("#jobs-body svg.spark path")).size() == 7);

		// the filter is the API's id_contains
		WebElement filter = this.browser.driver().findElement(By.id("jobs-filter"));
		filter.clear();
		filter.sendKeys("cosine-" + RUN);
		this.browser.await("the filtered rows", (driver) -> rowIds().size() == 2);
		assertThat(rowIds()).containsExactlyInAnyOrder(WARMUP_COSINE, COSINE);

		// sorting by id, then the other way round by a click on the header
		open("/?q=" + RUN + "&sort=id&direction=asc");
		List<String> ascending = rowIds();
		assertThat(ascending).isSorted().hasSize(7);
		this.browser.driver().findElement(By.cssSelector("th[data-sort=id]")).click();
		this.browser.await("the rows sorted by id, descending", (driver) -> rowIds().equals(reversed(ascending)));

		// paging: two by two, one request of one page each
		int before = this.browser.requests().size();
		open("/?q=" + RUN + "&sort=id&direction=asc&size=2");
		assertThat(rowIds()).isEqualTo(ascending.subList(0, 2));
		assertThat(this.browser.driver().findElement(By.id("jobs-page")).getText()).isEqualTo("Page 1 of 4");
		this.browser.driver().findElement(By.id("jobs-next")).click();
		this.browser.await("the second page", (driver) -> rowIds().equals(ascending.subList(2, 4)));
		List<Browser.Request> requests = this.browser.requests();
		assertThat(requests.subList(before, requests.size()))
			.filteredOn((request) -> request.url().contains("/api/v1/schedulers?"))
			.extracting(Browser.Request::url)
			.hasSize(2)
			.allSatisfy((url) -> assertThat(url).contains("size=2"))
			.anySatisfy((url) -> assertThat(url).contains("page=0"))
			.anySatisfy((url) -> assertThat(url).contains("page=1"));
	}

	@Test
	void theJobPageChartsItsHistoryWithTheResumeMarked() {
		int before = this.browser.requests().size();
		open("/schedulers/" + ONE_CYCLE);
		// the head script's reads, begun before the modules loaded, were taken over: each
		// asked once
		String path = this.base.resolve("/api/v1/schedulers/" + ONE_CYCLE).toString();
		List<String> reads = this.browser.requests()
			.subList(before, this.browser.requests().size())
			.stream()
			.map(Browser.Request::url)
			.filter((url) -> url.startsWith(path))
			.toList();
		assertThat(reads).filteredOn((url) -> url.equals(path)).hasSize(1);
		assertThat(reads).filteredOn((url) -> url.equals(path + "/attempts")).hasSize(1);
		assertThat(reads).filteredOn((url) -> url.startsWith(path + "/history?points=")).hasSize(1);
		assertThat(this.browser.script("return window.stepwiseEarly.size")).isEqualTo(0L);
		JsonNode items = history(ONE_CYCLE);
		List<List<Object>> lr = chart("lr");
		assertThat(numbers(lr.get(0))).isEqualTo(column(items, (item) -> item.path("epoch")));
		for (int group = 0; group < 2; group++) {
			int g = group;
			assertThat(numbers(lr.get(g + 1)))
				.isEqualTo(column(items, (item) -> item.path("param_groups").get(g).path("lr")));
			assertThat(numbers(chart("momentum").get(g + 1)))
				.isEqualTo(column(items, (item) -> item.path("param_groups").get(g).path("momentum")));
		}
		assertThat(numbers(chart("metric").get(1))).isEqualTo(column(items, (item) -> item.path("metric")));
		assertThat(this.browser.script("return window.stepwise.sampling.downsampled")).isEqualTo(false);
		assertThat(this.browser.script("return window.stepwise.markers"))
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.contains(Map.of("epoch", 25L, "label", "resume"));
		assertThat(text("job-spec")).contains("\"type\": \"OneCycleLR\"").contains("\"total_steps\": 60");
		assertThat(text("job-state")).contains("\"_step_count\"").contains("\"last_epoch\": 45");
		assertThat(text("export-curl")).contains(this.base + "/api/v1/schedulers").contains("\"id\": \"" + ONE_CYCLE);
		this.browser.driver().findElement(By.cssSelector("[data-export=python]")).click();
		assertThat(text("export-python"))
			.contains("scheduler = RemoteLRScheduler(optimizer, client, \"" + ONE_CYCLE + "\", {");
		assertThat(text("job-attempts")).contains(ONE_CYCLE + "/1").contains("resume");
		this.browser.screenshot("job");
	}

	@Test
	void theJobPageOfARangeTestPlotsTheLrFinderWithBothSuggestions() {
		open("/schedulers/" + RANGE_TEST);
		JsonNode finder = this.http.get("/api/v1/schedulers/" + RANGE_TEST + "/lr-finder", null).json();
		List<List<Object>> plotted = chart("finder");
		List<@Nullable Double> losses = column(finder.path("curve").path("loss"), (loss) -> loss);
		assertThat(numbers(plotted.get(0))).isEqualTo(column(finder.path("curve").path("lr"), (lr) -> lr));
		assertThat(numbers(plotted.get(1))).isEqualTo(losses);
		// each rule's suggestion is the one marked point of its own series
		List<String> rules = List.of("steepest", "valley");
		for (int r = 0; r < rules.size(); r++) {
			int index = finder.path("suggestions").path(rules.get(r)).path("index").asInt();
			List<@Nullable Double> marked = numbers(plotted.get(2 + r));
			assertThat(marked.get(index)).as(rules.get(r)).isEqualTo(losses.get(index));
			assertThat(marked.stream().filter(java.util.Objects::nonNull)).as(rules.get(r)).hasSize(1);
		}
		assertThat(this.browser.script("return window.stepwise.charts.finder.series.map((s) => s.label)"))
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.containsExactly("lr", "smoothed loss", "steepest descent (Lightning)", "valley (fastai)");
		assertThat(text("job-finder-suggestions")).contains("steepest descent (Lightning): lr ")
			.contains("valley (fastai): lr ");
		this.browser.screenshot("lr-finder");
	}

	@Test
	void theJobPageFollowsARunningJob() {
		open("/schedulers/" + COSINE);
		assertThat(chart("lr").get(0)).hasSize(21);
		step(COSINE, 21, 23, null, (epoch) -> null);
		this.browser.await("the new steps on the chart", (driver) -> chart("lr").get(0).size() == 24);
		JsonNode items = history(COSINE);
		assertThat(numbers(chart("lr").get(0))).isEqualTo(column(items, (item) -> item.path("epoch")));
		assertThat(numbers(chart("lr").get(1)))
			.isEqualTo(column(items, (item) -> item.path("param_groups").get(0).path("lr")));
		// it polled with the last ETag
		assertThat(this.browser.requests()).anySatisfy((request) -> {
			assertThat(request.url()).endsWith("/schedulers/" + COSINE + "/lr");
			assertThat(request.ifNoneMatch()).isNotNull();
		});
	}

	@Test
	void aLongHistoryIsDownsampledAndAZoomReadsItsRangeInDetail() {
		open("/schedulers/" + LONG + "?points=100");
		assertThat(this.browser.script("return window.stepwise.sampling.downsampled")).isEqualTo(true);
		Map<Double, Double> lrs = new java.util.HashMap<>();
		JsonNode items = history(LONG);
		for (JsonNode item : items) {
			lrs.put(item.path("epoch").asDouble(), item.path("param_groups").get(0).path("lr").asDouble());
		}
		List<List<Object>> overview = chart("lr");
		List<@Nullable Double> xs = numbers(overview.get(0));
		List<@Nullable Double> shown = numbers(overview.get(1));
		assertThat(xs).hasSizeBetween(20, 100);
		// real records only, and the curve's peaks and troughs kept
		for (int i = 0; i < xs.size(); i++) {
			assertThat(shown.get(i)).as("lr at epoch " + xs.get(i)).isEqualTo(lrs.get(xs.get(i)));
		}
		assertThat(shown).contains(java.util.Collections.max(lrs.values()), java.util.Collections.min(lrs.values()));

		this.browser.script("window.stepwise.charts.lr.setScale('x', {min: 200, max: 260})");
		this.browser.await("the zoomed range in detail",
				(driver) -> numbers(chart("lr").get(0)).stream()
					.filter((x) -> x != null && x >= 200 && x <= 260)
					.count() == 61);
		List<List<Object>> zoomed = chart("lr");
		List<@Nullable Double> zoomedXs = numbers(zoomed.get(0));
		for (int epoch = 200; epoch <= 260; epoch++) {
			int at = zoomedXs.indexOf((double) epoch);
			assertThat(numbers(zoomed.get(1)).get(at)).as("lr at epoch " + epoch).isEqualTo(lrs.get((double) epoch));
		}
	}

	@Test
	void theDesignerPreviewsATypedSpec() {
		open("/designer");
		WebElement steps = this.browser.driver().findElement(By.id("designer-steps"));
		steps.clear();
		steps.sendKeys("30");
		this.browser.driver().findElement(By.id("designer-mode-json")).click();
		WebElement spec = this.browser.driver().findElement(By.id("spec-json"));
		spec.clear();
		spec.sendKeys("{\"type\": \"StepLR\", \"step_size\": 7, \"gamma\": 0.5}");
		this.browser.await("the preview of the typed spec",
				(driver) -> String.valueOf(this.browser.script("return window.stepwise.charts.preview.series[1].label"))
					.startsWith("StepLR(step_size=7"));
		JsonNode expected = this.http
			.post("/api/v1/previews", null,
					"{\"param_groups\": [{\"lr\": 0.1, \"momentum\": 0.9}], \"scheduler\": {\"type\": \"StepLR\","
							+ " \"step_size\": 7, \"gamma\": 0.5}, \"steps\": 30, \"last_epoch\": 0}")
			.json()
			.path("states");
		List<List<Object>> preview = chart("preview");
		assertThat(numbers(preview.get(0))).isEqualTo(column(expected, (state) -> state.path("last_epoch")));
		assertThat(numbers(preview.get(1)))
			.isEqualTo(column(expected, (state) -> state.path("param_groups").get(0).path("lr")));

		// the form: built from the catalogue's declarations, defaults filled in, meanings
		// shown
		this.browser.driver().findElement(By.id("designer-mode-form")).click();
		new Select(this.browser.driver().findElement(By.id("designer-type"))).selectByValue("CosineAnnealingLR");
		assertThat(this.browser.driver().findElement(By.id("arg-T_max")).getDomProperty("value")).isEqualTo("30");
		assertThat(this.browser.driver().findElement(By.id("arg-eta_min")).getDomProperty("value")).isEqualTo("0");
		JsonNode cosine = catalogueType("CosineAnnealingLR");
		for (JsonNode argument : cosine.path("arguments")) {
			assertThat(this.browser.driver()
				.findElement(By.cssSelector(".field[data-field=\"" + argument.path("name").asString() + "\"] .help"))
				.getText()).isEqualTo(argument.path("meaning").asString());
		}
		this.browser.await("the cosine's preview",
				(driver) -> String.valueOf(this.browser.script("return window.stepwise.charts.preview.series[1].label"))
					.startsWith("CosineAnnealingLR(T_max=30"));
		this.browser.driver().findElement(By.id("designer-pin")).click();
		WebElement tMax = this.browser.driver().findElement(By.id("arg-T_max"));
		// typed over (no empty field in between: that would be a problem, 400, for a
		// moment)
		tMax.sendKeys(Keys.chord(Keys.CONTROL, "a"), "12");
		this.browser.await("the new candidate over the pinned one",
				(driver) -> Long.valueOf(3)
					.equals(this.browser.script("return window.stepwise.charts.preview.series.length"))
						&& String.valueOf(this.browser.script("return window.stepwise.charts.preview.series[2].label"))
							.startsWith("CosineAnnealingLR(T_max=12"));
		this.browser.driver().findElement(By.cssSelector("[data-export=torch]")).click();
		assertThat(text("export-torch")).contains("scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=12)");
		this.browser.screenshot("designer");
	}

	@Test
	void theDesignerShowsTheProblemAtTheFieldItNames() {
		this.expectedStatuses = new int[] { 400, 422 };
		open("/designer");
		this.browser.driver().findElement(By.id("designer-mode-json")).click();
		WebElement spec = this.browser.driver().findElement(By.id("spec-json"));
		spec.clear();
		spec.sendKeys("{\"type\": \"StepLR\", \"step_size\": 3, \"gama\": 0.5}");
		WebElement errors = this.browser.driver().findElement(By.id("preview-errors"));
		this.browser.await("the problem above the chart",
				(driver) -> errors.isDisplayed() && errors.getText().contains("scheduler.gama"));
		assertThat(errors.getText()).contains("did you mean 'gamma'?");
		assertThat(this.browser.driver().findElement(By.id("spec-json")).getDomAttribute("class")).contains("invalid");

		open("/designer");
		WebElement errorsInForm = this.browser.driver().findElement(By.id("preview-errors"));
		new Select(this.browser.driver().findElement(By.id("designer-type"))).selectByValue("StepLR");
		WebElement stepSize = this.browser.driver().findElement(By.id("arg-step_size"));
		stepSize.clear();
		stepSize.sendKeys("0");
		WebElement message = this.browser.driver()
			.findElement(By.cssSelector(".field[data-field=step_size] .field-error"));
		this.browser.await("the message at step_size", (driver) -> message.getText().contains("must not be 0"));
		assertThat(this.browser.script("return window.stepwise.errors[0].field")).isEqualTo("scheduler.step_size");
		stepSize.clear();
		stepSize.sendKeys("5");
		this.browser.await("the problem gone once the spec is valid", (driver) -> !errorsInForm.isDisplayed());
	}

	@Test
	void compareOverlaysTheJobs() {
		open("/compare?ids=" + ONE_CYCLE + "," + STEP);
		List<List<Object>> lr = chart("lr");
		assertThat(this.browser.script("return window.stepwise.charts.lr.series.slice(1).map((s) => s.label)"))
			.isEqualTo(List.of(ONE_CYCLE + " · g0", ONE_CYCLE + " · g1", STEP));
		List<Double> xs = numbers(lr.get(0));
		assertOverlay(xs, lr.get(1), history(ONE_CYCLE), (item) -> item.path("param_groups").get(0).path("lr"));
		assertOverlay(xs, lr.get(2), history(ONE_CYCLE), (item) -> item.path("param_groups").get(1).path("lr"));
		assertOverlay(xs, lr.get(3), history(STEP), (item) -> item.path("param_groups").get(0).path("lr"));
		List<List<Object>> metric = chart("metric");
		assertOverlay(numbers(metric.get(0)), metric.get(1), history(ONE_CYCLE), (item) -> item.path("metric"));
		assertOverlay(numbers(metric.get(0)), metric.get(2), history(STEP), (item) -> item.path("metric"));
		this.browser.screenshot("compare");
	}

	/** A job's values, at its epochs of the overlay's x axis. */
	private static void assertOverlay(List<Double> xs, List<Object> series, JsonNode items,
			Function<JsonNode, JsonNode> value) {
		List<@Nullable Double> expected = column(items, value);
		List<@Nullable Double> epochs = column(items, (item) -> item.path("epoch"));
		List<@Nullable Double> shown = numbers(series);
		for (int i = 0; i < epochs.size(); i++) {
			assertThat(shown.get(xs.indexOf(epochs.get(i)))).as("at epoch " + epochs.get(i)).isEqualTo(expected.get(i));
		}
	}

	private void open(String path) {
		this.browser.open(this.base.resolve(path));
		this.browser.awaitReady();
	}

	@SuppressWarnings("unchecked")
	private List<String> rowIds() {
		// read at once: the rows are replaced while a new page arrives
		return (List<String>) this.browser
			.script("return [...document.querySelectorAll('#jobs-body tr')].map((row) => row.dataset.id)");
	}

	private WebElement row(String id) {
		return this.browser.driver().findElement(By.cssSelector("#jobs-body tr[data-id=\"" + id + "\"]"));
	}

	private String text(String id) {
		return this.browser.driver().findElement(By.id(id)).getText();
	}

	@SuppressWarnings("unchecked")
	private List<List<Object>> chart(String name) {
		return (List<List<Object>>) this.browser.script("return window.stepwise.charts[arguments[0]].data", name);
	}

	private void register(String id, String groups, String scheduler, @Nullable String attempt) {
		String body = "{\"id\": \"" + id + "\", \"param_groups\": " + groups + ", \"scheduler\": " + scheduler
				+ ((attempt != null) ? ", \"attempt\": \"" + attempt + "\"" : "") + "}";
		ok(this.http.post("/api/v1/schedulers", null, body));
	}

	private void step(String id, int from, int to, @Nullable String attempt,
			Function<Integer, @Nullable Double> metric) {
		for (int epoch = from; epoch <= to; epoch++) {
			Double value = metric.apply(epoch);
			ok(this.http.post("/api/v1/schedulers/" + id + "/steps", null,
					"{\"epoch\": " + epoch + ((value != null) ? ", \"metric\": " + value : "")
							+ ((attempt != null) ? ", \"attempt\": \"" + attempt + "\"" : "") + "}"));
		}
	}

	/** A plausible validation loss: falling, with a wobble. */
	private static Double loss(int epoch) {
		return 2.0 * Math.exp(-epoch / 18.0) + 0.35 + 0.04 * Math.sin(epoch * 1.7);
	}

	private static void ok(Http.Response response) {
		assertThat(response.status()).as(response.toString()).isBetween(200, 201);
	}

	private JsonNode current(String id) {
		return this.http.get("/api/v1/schedulers/" + id + "/lr", null).json();
	}

	private JsonNode history(String id) {
		return this.http.get("/api/v1/schedulers/" + id + "/history?limit=10000", null).json().path("items");
	}

	private JsonNode catalogueType(String name) {
		for (JsonNode type : this.http.get("/api/v1/scheduler-types", null).json().path("types")) {
			if (name.equals(type.path("name").asString())) {
				return type;
			}
		}
		throw new AssertionError("no type " + name + " in the catalogue");
	}

	private static List<@Nullable Double> column(JsonNode items, Function<JsonNode, JsonNode> value) {
		List<@Nullable Double> column = new ArrayList<>();
		for (JsonNode item : items) {
			JsonNode node = value.apply(item);
			column.add(node.isNumber() ? node.asDouble() : null);
		}
		return column;
	}

	private static List<@Nullable Double> numbers(List<Object> values) {
		List<@Nullable Double> numbers = new ArrayList<>();
		for (Object value : values) {
			numbers.add((value instanceof Number number) ? number.doubleValue() : null);
		}
		return numbers;
	}

	private static List<String> reversed(List<String> list) {
		List<String> copy = new ArrayList<>(list);
		java.util.Collections.reverse(copy);
		return copy;
	}

}
