package dev.stepwise.system;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * A round of H2's housekeeping that fails never ends the housekeeping in silence: a fatal
 * error halts the process, anything else is logged and the next round runs.
 */
class H2HousekeepingTests {

	private final List<Integer> halts = new ArrayList<>();

	private final DataSource dataSource = mock(DataSource.class);

	private final H2Housekeeping housekeeping = new H2Housekeeping(this.dataSource, new FatalErrors(this.halts::add));

	@Test
	void anOutOfMemoryErrorInARoundHalts() throws SQLException {
		given(this.dataSource.getConnection()).willThrow(new OutOfMemoryError("Java heap space"));
		this.housekeeping.tidy();
		assertThat(this.halts).containsExactly(FatalErrors.STATUS);
	}

	@Test
	void anotherErrorIsLoggedAndTheNextRoundRuns() throws SQLException {
		given(this.dataSource.getConnection()).willThrow(new AssertionError("a broken driver"))
			.willThrow(new SQLException("database closed"));
		this.housekeeping.tidy();
		this.housekeeping.tidy();
		verify(this.dataSource, times(2)).getConnection();
		assertThat(this.halts).isEmpty();
	}

}
