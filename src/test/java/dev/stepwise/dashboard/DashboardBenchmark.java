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
 * {@code performance.mark}), over several loads, and which requests the jobs list makes
 * for one page of a long list.
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
		List<Double> warm = new ArrayList<>();
		StringBuilder firstLoad = new StringBuilder();
		System.out.println("| load | charts drawn ms | history request ms | records shown | records in the job |");
		System.out.println("|---|---:|---:|---:|---:|");
		// a browser's very first navigation: its own start is in it
		try (Browser fresh = Browser.start()) {
			load(fresh, base.resolve("/schedulers/" + job), "first, the browser's first page", firstLoad);
		}
		try (Browser browser = Browser.start()) {
			// a person's browser runs already: this one has drawn a page (of no origin)
			// before its first visit, whose HTTP and code caches are empty
			browser.driver().get("data:text/html,<p>another page</p>");
			load(browser, base.resolve("/schedulers/" + job + "?points=1500"), "first visit, the browser running",
					new StringBuilder());
			for (int run = 1; run <= runs; run++) {
				// another number of points each time: the service downsamples anew (from
				// its tiles), as for a job whose version moved since the last read
				warm.add(load(browser, base.resolve("/schedulers/" + job + "?points=" + (1000 - run)),
						"again, not cached", null));
			}
			warm.sort(Double::compare);
			System.out.printf(Locale.ROOT,
					"%njob page %s, charts drawn after navigation start, %d loads: min %.0f ms,"
							+ " median %.0f ms, max %.0f ms%n%n",
					job, warm.size(), warm.get(0), warm.get(warm.size() / 2), warm.get(warm.size() - 1));
			System.out.printf(Locale.ROOT, "the browser's first page, from the navigation's start:%n%s%n%n", firstLoad);
			jobsList(browser, base);
		}
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
