package dev.stepwise.dashboard;

import java.nio.charset.StandardCharsets;

import io.swagger.v3.oas.annotations.Hidden;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The dashboard's routes. Each answers its page, the same document for every id: the page
 * reads the scheduler through the API, so an unknown id is a message on the page. Pages
 * are revalidated on every load ({@code no-cache} with a strong ETag; a match is 304), so
 * a new build's assets are picked up at once.
 */
@Controller
@Hidden
class DashboardController {

	private final DashboardPages pages;

	DashboardController(DashboardPages pages) {
		this.pages = pages;
	}

	@GetMapping("/")
	ResponseEntity<String> jobs() {
		return page("jobs");
	}

	@GetMapping("/schedulers/{id}")
	ResponseEntity<String> job(@PathVariable String id) {
		return page("job");
	}

	@GetMapping("/designer")
	ResponseEntity<String> designer() {
		return page("designer");
	}

	@GetMapping("/compare")
	ResponseEntity<String> compare() {
		return page("compare");
	}

	private ResponseEntity<String> page(String name) {
		DashboardPages.Page page = this.pages.page(name);
		// a matching If-None-Match is answered 304 by Spring from this ETag
		return ResponseEntity.ok()
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			.cacheControl(CacheControl.noCache())
			.eTag(page.etag())
			.header("Content-Security-Policy", page.contentSecurityPolicy())
			.header("X-Content-Type-Options", "nosniff")
			.body(page.html());
	}

}
