package dev.stepwise.dashboard;

import java.net.URI;
import java.util.List;

import dev.stepwise.access.Http;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard behind the API's authentication: the pages load without a token, ask for
 * one when the API answers 401, and with a read token show the schedulers of its scope.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "stepwise.auth.admin-token=" + DashboardAuthBrowserIT.ADMIN)
class DashboardAuthBrowserIT {

	static final String ADMIN = "admin-token-for-dashboard-tests-0123456789";

	@LocalServerPort
	private int port;

	@Test
	void thePagesAskForATokenAndShowWhatItMayRead() {
		Browser.assumeInstalled();
		URI base = URI.create("http://127.0.0.1:" + this.port);
		Http http = new Http(base);
		String run = "auth" + Long.toHexString(System.nanoTime());
		String mine = run + "-visible";
		String other = "other-" + run;
		for (String id : List.of(mine, other)) {
			assertThat(http.post("/api/v1/schedulers", ADMIN, Http.registration(id)).status()).isEqualTo(201);
			assertThat(http.post("/api/v1/schedulers/" + id + "/steps", ADMIN, "{\"epoch\": 1}").status())
				.isEqualTo(200);
		}
		String read = http.mint(ADMIN, run + "-*", "read");
		try (Browser browser = Browser.start()) {
			browser.open(base.resolve("/"));
			WebElement field = browser.await("the token field",
					(driver) -> driver.findElements(By.id("token-input")).stream().findFirst().orElse(null));
			field.sendKeys(read, Keys.ENTER);
			browser.awaitReady();
			List<String> ids = browser.driver()
				.findElements(By.cssSelector("#jobs-body tr"))
				.stream()
				.map((row) -> row.getDomAttribute("data-id"))
				.toList();
			assertThat(ids).containsExactly(mine);
			browser.open(base.resolve("/schedulers/" + mine));
			browser.awaitReady();
			assertThat(browser.script("return window.stepwise.charts.lr.data[0].length")).isEqualTo(2L);
			browser.assertEveryRequestStayedOn(base);
			browser.assertNoConsoleErrors(401);
		}
	}

}
