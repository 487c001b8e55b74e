package dev.stepwise.system;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An H2 file database configured by a plain URL, without {@code WRITE_DELAY=0}, still
 * writes every commit at once.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE)
class H2DurableCommitsTests {

	@TempDir
	static Path directory;

	@DynamicPropertySource
	static void plainH2Url(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + directory.resolve("plain"));
		registry.add("spring.datasource.username", () -> "sa");
		registry.add("spring.datasource.password", () -> "");
	}

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void writeDelayIsZeroWhateverTheUrlSays() {
		// A fresh database lists only H2's default (500); SET WRITE_DELAY adds the
		// persisted 0.
		assertThat(this.jdbc.queryForList(
				"SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'",
				String.class))
			.contains("0");
	}

}
