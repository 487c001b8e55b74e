package dev.stepwise.system;

import java.io.IOException;
import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride.Override;
import org.h2.api.ErrorCode;
import org.h2.message.DbException;
import org.h2.mvstore.DataUtils;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool drops a connection when H2 failed to write its file or closed its database,
 * and leaves every other error to Hikari's own rules.
 */
class H2ConnectionEvictionTests {

	private final H2ConnectionEviction eviction = new H2ConnectionEviction();

	@Test
	void evictsAConnectionOfAClosedDatabase() {
		SQLException closed = DbException.get(ErrorCode.DATABASE_IS_CLOSED).getSQLException();
		assertThat(this.eviction.adjudicate(closed)).isEqualTo(Override.MUST_EVICT);
	}

	@Test
	void evictsAConnectionWhoseStoreFailedToWrite() {
		SQLException failed = DbException
			.convert(DataUtils.newMVStoreException(DataUtils.ERROR_WRITING_FAILED, "Writing to {0} failed",
					"stepwise.mv.db", new IOException("No space left on device")))
			.getSQLException();
		assertThat(failed.getErrorCode()).isEqualTo(ErrorCode.GENERAL_ERROR_1);
		assertThat(this.eviction.adjudicate(failed)).isEqualTo(Override.MUST_EVICT);
	}

	@Test
	void leavesOtherErrorsToHikari() {
		SQLException syntax = DbException.get(ErrorCode.SYNTAX_ERROR_1, "select").getSQLException();
		SQLException general = DbException.get(ErrorCode.GENERAL_ERROR_1, "not the store").getSQLException();
		assertThat(this.eviction.adjudicate(syntax)).isEqualTo(Override.CONTINUE_EVICT);
		assertThat(this.eviction.adjudicate(general)).isEqualTo(Override.CONTINUE_EVICT);
	}

}
