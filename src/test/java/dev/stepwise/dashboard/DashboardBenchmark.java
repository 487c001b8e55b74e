package dev.stepwise.dashboard;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.openqa.selenium.By;

/**
 * The dashboard's benchmark, run by {@code bench/dashboard.sh} against a running service
 * seeded with a long job and many schedulers (not a test): how long the job page takes
 * from the navigation's start until its charts have drawn the data (the page's
 * {@code performance.mark}), over several loads, in browsers without the network and
 * console logs the tests use (as a person's), and which requests the jobs list makes for
 * one page of a long list.
 */
public final class DashboardBenchmark {

	private DashboardBenchmark() {
	}

	/**
	 * Arguments: the service's URL, the long job's id, the number of loads.
	 * @param args the arguments
	 */
	public static void main(String[] args) {
		URI base = URI.create(args[0]);
		String job = args[1];
		int runs = Integer.parseInt(args[2]);
		StringBuilder firstLoad = new StringBuilder();
		System.out.println("| load | charts drawn ms | history request ms | records shown | records in the job |");
		System.out.println("|---|---:|---:|---:|---:|");
		// each cold load asks for another number of points, so that the service
		// downsamples anew too; about two per pixel of the window, as the page asks
		int points = 2 * Browser.WIDTH;
		List<Double> fresh = new ArrayList<>();
		List<Double> running = new ArrayList<>();
		List<Double> logged = new ArrayList<>();
		for (int run = 1; run <= runs; run++) {
			// a browser's very first navigation, its caches and renderer cold
			try (Browser browser = Browser.plain()) {
				fresh.add(load(browser, base.resolve("/schedulers/" + job + "?points=" + points--),
						"a fresh browser's first page", (run == 1) ? firstLoad : null));
			}
			try (Browser browser = Browser.plain()) {
				// a person's browser runs already: this one has drawn a page (of no
				// origin) before its first visit, whose HTTP and code caches are empty
				browser.driver().get("data:text/html,<p>another page</p>");
				running.add(load(browser, base.resolve("/schedulers/" + job + "?points=" + points--),
						"first visit, the browser running", null));
			}
			// as the browser tests run it: chromedriver hears every network event
			try (Browser browser = Browser.start()) {
				logged.add(load(browser, base.resolve("/schedulers/" + job + "?points=" + points--),
						"a fresh browser's first page, its network and console logs on", null));
			}
		}
		List<Double> again = new ArrayList<>();
		try (Browser browser = Browser.plain()) {
			load(browser, base.resolve("/schedulers/" + job + "?points=" + points--), "first visit, then:", null);
			for (int run = 1; run <= runs; run++) {
				// another number of points each time: the service downsamples anew (from
				// its tiles), as for a job whose version moved since the last read
				again.add(load(browser, base.resolve("/schedulers/" + job + "?points=" + (1000 - run)),
						"again, not cached", null));
			}
		}
		System.out.printf(Locale.ROOT, "%njob page %s, charts drawn after the navigation's start:%n", job);
		summary("a fresh browser's first page", fresh);
		summary("the first visit of a browser already running", running);
		summary("loads after the first visit", again);
		summary("a fresh browser's first page, its network and console logs on (as the tests run)", logged);
		System.out.printf(Locale.ROOT, "%nthe first fresh page, from the navigation's start:%n%s%n%n", firstLoad);
		try (Browser browser = Browser.start()) {
			jobsList(browser, base);
		}
	}

	private static void summary(String what, List<Double> millis) {
		List<Double> sorted = millis.stream().sorted().toList();
		System.out.printf(Locale.ROOT, "  %s, %d loads: min %.0f ms, median %.0f ms, max %.0f ms%n", what,
				sorted.size(), sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
	}

	/** Loads the job page, prints its row and returns when its charts were drawn. */
	private static double load(Browser browser, URI page, String label, @Nullable StringBuilder timeline) {
		browser.open(page);
		browser.awaitReady();
		double drawn = number(
				browser.script("return performance.getEntriesByName('stepwise:charts-drawn')[0].startTime"));
		double history = number(browser.script("return performance.getEntriesByType('resource')"
				+ ".filter((entry) => entry.name.includes('/history?')).map((entry) => entry.duration)[0] || 0"));
		Object shown = browser.script("return window.stepwise.sampling.shown");
		Object total = browser.script("return window.stepwise.sampling.total");
		System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %s | %s |%n", label, drawn, history, shown, total);
		if (timeline != null) {
			timeline.append(browser.script("const nav = performance.getEntriesByType('navigation')[0];"
					+ " return 'navigation: response end ' + Math.round(nav.responseEnd) + ' ms, DOM interactive '"
					+ " + Math.round(nav.domInteractive) + ' ms\\n' + performance.getEntriesByType('resource')"
					+ ".map((e) => '  ' + Math.round(e.startTime) + ' to ' + Math.round(e.responseEnd) + ' ms  '"
					+ " + e.name.replace(location.origin, '')).join('\\n') + '\\n' + performance.getEntriesByType('mark')"
					+ ".map((e) => '  ' + Math.round(e.startTime) + ' ms  mark ' + e.name).join('\\n')"));
		}
		return drawn;
	}

	private static void jobsList(Browser browser, URI base) {
		int before = browser.requests().size();
		browser.open(base.resolve("/"));
		browser.awaitReady();
		browser.await("the sparklines",
				(driver) -> driver.findElements(By.cssSelector("#jobs-body svg.spark")).size() > 0);
		double drawn = number(
				browser.script("return performance.getEntriesByName('stepwise:charts-drawn')[0].startTime"));
		Object total = browser.script("return window.stepwise.page.total_items");
		Object items = browser.script("return window.stepwise.page.items.length");
		Object bytes = browser.script("return performance.getEntriesByType('resource')"
				+ ".filter((entry) => entry.name.includes('/api/v1/schedulers?')).map((entry) => entry.encodedBodySize)[0]");
		browser.driver().findElement(By.id("jobs-next")).click();
		browser.await("page 2",
				(driver) -> String.valueOf(browser.script("return location.search")).contains("page=1"));
		browser.await("page 2's rows",
				(driver) -> Long.valueOf(1).equals(browser.script("return window.stepwise.page.page")));
		List<Browser.Request> requests = browser.requests();
		List<String> lists = requests.subList(before, requests.size())
			.stream()
			.map(Browser.Request::url)
			.filter((url) -> url.contains("/api/v1/schedulers?"))
			.toList();
		long sparklines = requests.subList(before, requests.size())
			.stream()
			.filter((request) -> request.url().contains("/history?points="))
			.count();
		System.out.printf(Locale.ROOT,
				"jobs list: %s schedulers, %s rows drawn after %.0f ms; the list's answer %s bytes%n", total, items,
				drawn, bytes);
		System.out.println("list requests for page 1, then page 2 (the only ones):");
		lists.forEach((url) -> System.out.println("  GET " + url.substring(url.indexOf("/api/"))));
		System.out.printf(Locale.ROOT, "plus %d sparkline requests (history?points=60, one per row shown)%n",
				sparklines);
	}

	private static double number(Object value) {
		return (value instanceof Number number) ? number.doubleValue() : Double.NaN;
	}

}
