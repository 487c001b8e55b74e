package dev.stepwise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The scheduler table in README.md's "Schedulers" section is the one
 * {@link SchedulerTable} renders from the engine's catalogue.
 */
class ReadmeSchedulerTableTests {

	private static final Path README = Path.of("README.md");

	@Test
	void readmeTableIsTheRenderedOne() throws IOException {
		String expected = SchedulerTable.render();
		String actual = table(Files.readAllLines(README));
		if (!actual.equals(expected)) {
			fail("The scheduler table in README.md (section \"## Schedulers\") differs from the catalogue's."
					+ " Replace it with:\n\n" + expected);
		}
	}

	@Test
	void rendersDefaultsAsJson() {
		assertThat(SchedulerTable.value(null)).isEqualTo("null");
		assertThat(SchedulerTable.value("cos")).isEqualTo("\"cos\"");
		assertThat(SchedulerTable.value(true)).isEqualTo("true");
		assertThat(SchedulerTable.value(5L)).isEqualTo("5");
		assertThat(SchedulerTable.value(25.0)).isEqualTo("25.0");
		assertThat(SchedulerTable.value(1e4)).isEqualTo("10000.0");
		assertThat(SchedulerTable.value(1e-4)).isEqualTo("0.0001");
		assertThat(SchedulerTable.value(1e-8)).isEqualTo("1e-8");
		assertThat(SchedulerTable.value(1.0 / 3)).isEqualTo("0.3333333333333333");
	}

	@Test
	void rendersOneRowPerType() {
		assertThat(SchedulerTable.render()).startsWith(SchedulerTable.HEADER + "\n|---|---|---|\n")
			.contains("| `StepLR` | `step_size`, `gamma=0.1` | ")
			.contains("| `constant` | none | ");
	}

	/** The table under "## Schedulers": its header line and every table line after it. */
	private static String table(List<String> lines) {
		int section = lines.indexOf("## Schedulers");
		assertThat(section).as("README.md has a \"## Schedulers\" section").isNotNegative();
		int start = lines.subList(section, lines.size()).indexOf(SchedulerTable.HEADER);
		assertThat(start).as("the Schedulers section has the table " + SchedulerTable.HEADER).isNotNegative();
		StringBuilder table = new StringBuilder();
		for (int i = section + start; i < lines.size() && lines.get(i).startsWith("|"); i++) {
			table.append(lines.get(i)).append('\n');
		}
		return table.toString();
	}

}
