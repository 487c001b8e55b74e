package dev.stepwise.system;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code openapi/openapi.yaml} is the committed copy of the document the service serves;
 * this test fails when they differ, and writes the served one to
 * {@code target/openapi.yaml}.
 */
@SpringBootTest
@AutoConfigureMockMvc
class OpenApiDocumentTests {

	private static final Path COMMITTED = Path.of("openapi", "openapi.yaml");

	private static final Path SERVED = Path.of("target", "openapi.yaml");

	@Autowired
	private MockMvcTester mvc;

	@Test
	void committedDocumentIsTheServedOne() throws Exception {
		String served = this.mvc.get()
			.uri("/v3/api-docs.yaml")
			.exchange()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
		Object servedDocument = new Yaml().load(served);
		Object committedDocument = Files.exists(COMMITTED) ? new Yaml().load(Files.readString(COMMITTED)) : null;
		if (!servedDocument.equals(committedDocument)) {
			Files.createDirectories(SERVED.getParent());
			Files.writeString(SERVED, served);
			fail("openapi/openapi.yaml differs from the document the service serves. If the change is intended, run"
					+ " 'cp target/openapi.yaml openapi/openapi.yaml' and commit it.");
		}
	}

	@Test
	void swaggerUiIsServed() {
		assertThat(this.mvc.get().uri("/swagger-ui.html")).hasStatus3xxRedirection();
		assertThat(this.mvc.get().uri("/swagger-ui/index.html")).hasStatusOk();
	}

}
