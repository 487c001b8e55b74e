package dev.stepwise.dashboard;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The rendering of the pages from their templates: the assets' path follows their
 * content, and the policy allows the inline scripts (the import map, a page's head
 * script) by their hashes.
 */
class DashboardPagesTests {

	private static final String LAYOUT = "<head>{{title}}<!--stepwise:head--></head>"
			+ "<body>{{main}}<script type=\"module\" src=\"{{assets}}/js/{{page}}.js\"></script></body>";

	private static final String TEMPLATE = "<title>A page</title>\n<main>the page</main>\n";

	@TempDir
	private Path classpath;

	@Test
	void theAssetsPathChangesWhenAnAssetDoesAndOnlyThen() throws Exception {
		write("dashboard/assets/js/jobs.js", "console.log(1);");
		write("dashboard/assets/css/dashboard.css", "body {}");
		templates(TEMPLATE);
		DashboardPages first = pages();
		assertThat(pages().assetsPath()).isEqualTo(first.assetsPath());
		assertThat(first.page("jobs").html()).contains("src=\"" + first.assetsPath() + "js/jobs.js\"")
			.contains("href=\"" + first.assetsPath() + "css/dashboard.css\"");
		write("dashboard/assets/js/jobs.js", "console.log(2);");
		DashboardPages second = pages();
		assertThat(second.assetsPath()).isNotEqualTo(first.assetsPath());
		assertThat(second.page("jobs").etag()).isNotEqualTo(first.page("jobs").etag());
	}

	@Test
	void thePolicyAllowsTheImportMapByItsHashAndNothingFromOutside() throws Exception {
		write("dashboard/assets/js/jobs.js", "");
		templates(TEMPLATE);
		DashboardPages.Page page = pages().page("designer");
		Matcher importMap = Pattern.compile("<script type=\"importmap\">(.*?)</script>").matcher(page.html());
		assertThat(importMap.find()).isTrue();
		assertThat(importMap.group(1)).contains("\"uplot\": \"/webjars/uplot/1.6.30/dist/uPlot.esm.js\"");
		String hash = Base64.getEncoder()
			.encodeToString(
					MessageDigest.getInstance("SHA-256").digest(importMap.group(1).getBytes(StandardCharsets.UTF_8)));
		assertThat(page.contentSecurityPolicy()).contains("script-src 'self' 'sha256-" + hash + "';")
			.contains("default-src 'self'")
			.doesNotContain("http");
	}

	@Test
	void aPagesHeadScriptIsInlinedBeforeTheStylesheetsAndAllowedByItsHash() throws Exception {
		templates(TEMPLATE);
		write("dashboard/pages/job.head.js", "window.early = 1;\n");
		DashboardPages pages = pages();
		assertThat(pages.page("job").html())
			.startsWith("<head><title>A page · Stepwise</title><script>window.early = 1;</script>\n<link rel=\"icon\"");
		String hash = Base64.getEncoder()
			.encodeToString(
					MessageDigest.getInstance("SHA-256").digest("window.early = 1;".getBytes(StandardCharsets.UTF_8)));
		assertThat(pages.page("job").contentSecurityPolicy()).contains(" 'sha256-" + hash + "';");
		// the other pages have none
		assertThat(pages.page("jobs").html()).doesNotContain("<script>");
		assertThat(pages.page("jobs").contentSecurityPolicy()).doesNotContain(hash);
	}

	@Test
	void eachPageIsTheLayoutAroundItsTemplate() throws Exception {
		write("dashboard/assets/js/jobs.js", "");
		templates(TEMPLATE);
		DashboardPages pages = pages();
		assertThat(pages.page("compare").html()).isEqualTo("<head><title>A page · Stepwise</title>"
				+ "<link rel=\"icon\" href=\"" + pages.assetsPath() + "icon.svg\" type=\"image/svg+xml\">\n"
				+ "<link rel=\"stylesheet\" href=\"/webjars/uplot/1.6.30/dist/uPlot.min.css\">\n"
				+ "<link rel=\"stylesheet\" href=\"" + pages.assetsPath() + "css/dashboard.css\">\n"
				+ "<script type=\"importmap\">{\"imports\": {\"uplot\": \"/webjars/uplot/1.6.30/dist/uPlot.esm.js\"}}"
				+ "</script>\n<link rel=\"modulepreload\" href=\"" + pages.assetsPath()
				+ "js/compare.js\"></head><body><main>the page</main><script type=\"module\" src=\""
				+ pages.assetsPath() + "js/compare.js\"></script></body>");
	}

	@Test
	void aPageWhoseScriptImportsAMissingModuleStopsTheStartup() throws Exception {
		templates(TEMPLATE);
		write("dashboard/assets/js/compare.js", "import { a } from './gone.js';");
		assertThatIllegalStateException().isThrownBy(this::pages)
			.withMessage("the dashboard page compare needs js/gone.js, which is missing");
	}

	@Test
	void aLayoutWithoutTheHeadSlotOrAPageWithoutItsTitleStopsTheStartup() throws Exception {
		write("dashboard/assets/js/jobs.js", "");
		templates(TEMPLATE);
		write("dashboard/pages/layout.html", "<head></head>{{main}}");
		assertThatIllegalStateException().isThrownBy(this::pages).withMessageContaining("<!--stepwise:head-->");
		templates("<main>no title</main>");
		assertThatIllegalStateException().isThrownBy(this::pages)
			.withMessageContaining("the dashboard page jobs does not begin with its <title>");
	}

	private DashboardPages pages() throws MalformedURLException {
		// only this class path's dashboard: the real one is on the test's own
		URLClassLoader loader = new URLClassLoader(new URL[] { this.classpath.toUri().toURL() }, null);
		return new DashboardPages(new DefaultResourceLoader(loader));
	}

	private void templates(String html) throws IOException {
		write("dashboard/pages/layout.html", LAYOUT);
		for (String name : DashboardPages.NAMES) {
			write("dashboard/pages/" + name + ".html", html);
			if (!Files.exists(this.classpath.resolve("dashboard/assets/js/" + name + ".js"))) {
				write("dashboard/assets/js/" + name + ".js", "");
			}
		}
	}

	private void write(String path, String content) throws IOException {
		Path file = this.classpath.resolve(path);
		Files.createDirectories(file.getParent());
		Files.writeString(file, content);
	}

}
