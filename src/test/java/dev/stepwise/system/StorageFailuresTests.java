package dev.stepwise.system;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.h2.api.ErrorCode;
import org.h2.message.DbException;
import org.h2.mvstore.DataUtils;
import org.hibernate.TransactionException;
import org.hibernate.exception.GenericJDBCException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.vendor.HibernateJpaDialect;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which database failures are transient (a 503 with Retry-After): a database that cannot
 * write, restarts or is out of reach, whether a statement or the end of a transaction
 * reports it; every other failure keeps Spring's translation.
 */
class StorageFailuresTests {

	private final SQLExceptionTranslator translator = new StorageFailures().translator();

	private final HibernateJpaDialect transactionEnds = transactionEnds();

	/**
	 * PostgreSQL's disk_full and the rest of class 53, a server shutting down, crashed (a
	 * PANIC elsewhere) or in crash recovery, a lost connection, H2 failing to write its
	 * file or closed, and a connection the pool closed.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "53100", "53000", "53200", "53300", "57P01", "57P02", "57P03", "08006", "08003", "08001",
			"h2:io", "h2:store", "h2:closed", "h2:shutdown", "hikari:closed" })
	void aDatabaseThatCannotWriteOrIsGoneIsTransient(String failure) {
		SQLException ex = failure(failure);
		assertThat(this.translator.translate("Step", "insert into scheduler_step", ex))
			.isInstanceOf(TransientDataAccessResourceException.class)
			.hasCause(ex);
		assertThat(this.transactionEnds.translateExceptionIfPossible(new GenericJDBCException("insert", ex)))
			.isInstanceOf(TransientDataAccessResourceException.class);
		assertThat(this.transactionEnds
			.translateExceptionIfPossible(new TransactionException("Unable to commit against JDBC Connection", ex)))
			.isInstanceOf(TransientDataAccessResourceException.class);
	}

	/**
	 * What Spring makes of them alone: PostgreSQL's states are a resource failure (also a
	 * 503) for JDBC and for a failed commit, but H2's storage failures are not
	 * categorized (a 500), and neither is 53xxx in Hibernate's statements.
	 */
	@Test
	void springAloneLeavesH2sStorageFailuresAndHibernatesDiskFullUncategorized() {
		SQLExceptionTranslator spring = new SQLExceptionSubclassTranslator();
		assertThat(spring.translate("Step", null, failure("53100")))
			.isInstanceOf(DataAccessResourceFailureException.class);
		assertThat(spring.translate("Step", null, failure("57P02")))
			.isInstanceOf(DataAccessResourceFailureException.class);
		assertThat(spring.translate("Step", null, failure("h2:store"))).isNull();
		assertThat(spring.translate("Step", null, failure("h2:io"))).isNull();
		HibernateJpaDialect hibernate = new HibernateJpaDialect();
		assertThat(hibernate.translateExceptionIfPossible(new GenericJDBCException("insert", failure("53100"))))
			.isNotInstanceOfAny(DataAccessResourceFailureException.class, TransientDataAccessResourceException.class);
		assertThat(hibernate.translateExceptionIfPossible(new TransactionException("commit", failure("57P02"))))
			.isInstanceOf(DataAccessResourceFailureException.class);
		assertThat(hibernate.translateExceptionIfPossible(new TransactionException("commit", failure("h2:store"))))
			.isInstanceOf(JpaSystemException.class);
	}

	@Test
	void otherFailuresKeepSpringsTranslation() {
		assertThat(this.translator.translate("Step", null, new SQLException("duplicate", "23505")))
			.isInstanceOf(DataIntegrityViolationException.class);
		assertThat(this.translator.translate("Step", null, new SQLException("syntax", "42601")))
			.isInstanceOf(BadSqlGrammarException.class);
		assertThat(this.translator.translate("Step", null, new SQLException("serialization", "40001")))
			.isInstanceOf(ConcurrencyFailureException.class);
		assertThat(this.translator.translate("Step", null, new SQLException("canceled", "57014")))
			.isInstanceOf(QueryTimeoutException.class);
		assertThat(this.translator.translate("Step", null,
				DbException.get(ErrorCode.SYNTAX_ERROR_1, "x").getSQLException()))
			.isInstanceOf(BadSqlGrammarException.class);
		assertThat(this.translator.translate("Step", null, new SQLException("database dropped", "57P04")))
			.isNotInstanceOf(TransientDataAccessResourceException.class);
		DataAccessException other = this.transactionEnds
			.translateExceptionIfPossible(new TransactionException("commit", new SQLException("check", "23514")));
		assertThat(other).isNotInstanceOf(TransientDataAccessResourceException.class);
	}

	@Test
	void aPoolThatCannotConnectIsTransient() {
		SQLException timeout = new SQLTransientConnectionException("stepwise - Connection is not available", "08001",
				failure("57P03"));
		assertThat(StorageFailures.isUnavailable(timeout)).isTrue();
		assertThat(StorageFailures.isUnavailable(new IllegalStateException("no database involved"))).isFalse();
	}

	private static SQLException failure(String kind) {
		return switch (kind) {
			case "h2:io" -> DbException.get(ErrorCode.IO_EXCEPTION_1, "stepwise.mv.db").getSQLException();
			case "h2:store" -> DbException
				.convert(DataUtils.newMVStoreException(DataUtils.ERROR_WRITING_FAILED, "Writing to {0} failed",
						"stepwise.mv.db", new IOException("No space left on device")))
				.getSQLException();
			case "h2:closed" -> DbException.get(ErrorCode.DATABASE_IS_CLOSED).getSQLException();
			case "h2:shutdown" -> DbException.get(ErrorCode.DATABASE_CALLED_AT_SHUTDOWN).getSQLException();
			case "hikari:closed" -> new SQLException("Connection is closed");
			default -> new SQLException("PostgreSQL failure " + kind, kind);
		};
	}

	private static HibernateJpaDialect transactionEnds() {
		JpaTransactionManager manager = new JpaTransactionManager();
		manager.setJpaDialect(new HibernateJpaDialect());
		Object processed = StorageFailures.transactionEndFailureTranslation()
			.postProcessAfterInitialization(manager, "transactionManager");
		return (HibernateJpaDialect) ((JpaTransactionManager) processed).getJpaDialect();
	}

}
