package dev.stepwise.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the dashboard is served and cached: pages revalidated on every load (no-cache with
 * a strong ETag, 304 when it matches) under a policy that lets them load nothing from
 * outside the service; every script, style and icon under a content-hashed path and uPlot
 * under its versioned WebJar path, cached for a year; nothing under any other path.
 */
@SpringBootTest
@AutoConfigureMockMvc
class DashboardCachingTests {

	private static final Pattern LOCAL_REFERENCE = Pattern.compile("(?:src|href)=\"(/[^\"]*)\"");

	private static final Pattern IMPORT = Pattern.compile("from '\\./([a-z]+\\.js)'");

	private static final Pattern PRELOAD = Pattern.compile("<link rel=\"modulepreload\" href=\"([^\"]+)\">");

	private static final String A_YEAR = "max-age=31536000";

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private DashboardPages pages;

	@ParameterizedTest
	@ValueSource(strings = { "/", "/schedulers/resnet50-run17", "/schedulers/run.with.dots", "/designer", "/compare" })
	void pagesAreRevalidatedOnEveryLoad(String path) throws Exception {
		MockHttpServletResponse page = get(path, null);
		assertThat(page.getStatus()).isEqualTo(200);
		assertThat(page.getContentType()).isEqualTo("text/html;charset=UTF-8");
		assertThat(page.getHeader("Cache-Control")).isEqualTo("no-cache");
		assertThat(page.getHeader("ETag")).matches("\"[0-9a-f]{24}\"");
		assertThat(page.getHeader("Content-Security-Policy"))
			.startsWith("default-src 'self'; script-src 'self' 'sha256-")
			.contains("connect-src 'self'");
		assertThat(page.getContentAsString(StandardCharsets.UTF_8)).contains("<script type=\"importmap\">")
			.contains(this.pages.assetsPath() + "css/dashboard.css")
			.doesNotContain("{{")
			.doesNotContain("<!--stepwise:");
		MockHttpServletResponse again = get(path, page.getHeader("ETag"));
		assertThat(again.getStatus()).isEqualTo(304);
		assertThat(again.getContentAsByteArray()).isEmpty();
	}

	@Test
	void everyAssetAPageNamesIsServedUnderItsVersionForAYear() throws Exception {
		List<String> references = new ArrayList<>();
		for (String path : List.of("/", "/schedulers/x", "/designer", "/compare")) {
			Matcher matcher = LOCAL_REFERENCE.matcher(get(path, null).getContentAsString(StandardCharsets.UTF_8));
			while (matcher.find()) {
				references.add(matcher.group(1));
			}
		}
		// the import map's uPlot module, and every module the page scripts import
		references.add(this.pages.uplotPath() + "dist/uPlot.esm.js");
		for (String script : List.of("jobs.js", "job.js", "designer.js", "compare.js")) {
			Matcher imports = IMPORT.matcher(
					get(this.pages.assetsPath() + "js/" + script, null).getContentAsString(StandardCharsets.UTF_8));
			while (imports.find()) {
				references.add(this.pages.assetsPath() + "js/" + imports.group(1));
			}
		}
		assertThat(references).contains(this.pages.assetsPath() + "js/ui.js", this.pages.assetsPath() + "icon.svg");
		for (String reference : references.stream().distinct().filter((path) -> path.contains(".")).toList()) {
			MockHttpServletResponse asset = get(reference, null);
			assertThat(asset.getStatus()).as(reference).isEqualTo(200);
			assertThat(asset.getHeader("Cache-Control")).as(reference).contains(A_YEAR, "public", "immutable");
			assertThat(reference).as("a versioned path")
				.satisfiesAnyOf((path) -> assertThat(path).startsWith(this.pages.assetsPath()),
						(path) -> assertThat(path).startsWith(this.pages.uplotPath()));
		}
	}

	@Test
	void eachPagePreloadsTheModulesItsScriptImportsAfterTheImportMap() throws Exception {
		String assets = this.pages.assetsPath() + "js/";
		String uplot = this.pages.uplotPath() + "dist/uPlot.esm.js";
		assertThat(preloads("/schedulers/x")).containsExactlyInAnyOrder(assets + "job.js", assets + "api.js",
				assets + "charts.js", assets + "codegen.js", assets + "ui.js", uplot);
		assertThat(preloads("/")).containsExactlyInAnyOrder(assets + "jobs.js", assets + "api.js", assets + "charts.js",
				assets + "ui.js", uplot);
		assertThat(preloads("/compare")).doesNotContain(assets + "codegen.js").contains(uplot);
		String page = get("/designer", null).getContentAsString(StandardCharsets.UTF_8);
		assertThat(page.indexOf("rel=\"modulepreload\"")).isGreaterThan(page.indexOf("<script type=\"importmap\">"));
	}

	private List<String> preloads(String path) throws Exception {
		Matcher preload = PRELOAD.matcher(get(path, null).getContentAsString(StandardCharsets.UTF_8));
		List<String> modules = new ArrayList<>();
		while (preload.find()) {
			modules.add(preload.group(1));
		}
		return modules;
	}

	@Test
	void theAssetsAreNamedByTheirContentAndUPlotByItsVersion() {
		assertThat(this.pages.assetsPath()).matches("/dashboard/[0-9a-f]{16}/");
		assertThat(this.pages.uplotPath()).isEqualTo("/webjars/uplot/1.6.30/");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/dashboard/js/jobs.js", "/dashboard/0123456789abcdef/js/jobs.js",
			"/dashboard/pages/jobs.html" })
	void nothingIsServedOutsideTheVersionedPaths(String path) throws Exception {
		MockHttpServletResponse response = get(path, null);
		assertThat(response.getStatus()).isEqualTo(404);
		assertThat(response.getContentType()).isEqualTo("application/problem+json");
	}

	@Test
	void theTemplatesAreNotServed() throws Exception {
		assertThat(get(this.pages.assetsPath() + "../pages/jobs.html", null).getStatus()).isIn(400, 404);
		assertThat(get(this.pages.assetsPath() + "pages/jobs.html", null).getStatus()).isEqualTo(404);
	}

	private MockHttpServletResponse get(String path, @Nullable String ifNoneMatch) {
		var request = this.mvc.get().uri(path);
		if (ifNoneMatch != null) {
			request = request.header("If-None-Match", ifNoneMatch);
		}
		return request.exchange().getResponse();
	}

}
