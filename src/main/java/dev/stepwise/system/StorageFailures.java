package dev.stepwise.system;

import java.sql.SQLException;
import java.util.Set;

import org.h2.mvstore.MVStoreException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.vendor.HibernateJpaDialect;

/**
 * A database that cannot write (a full disk), is restarting or is out of reach is a
 * transient failure: every statement and every end of a transaction that fails that way
 * becomes a {@link TransientDataAccessResourceException}, which the API answers 503 with
 * Retry-After, never 500. Spring alone gets PostgreSQL's right for JDBC statements and
 * failed commits (SQL state classes 08, 53 and 57 are a
 * {@code DataAccessResourceFailureException}, also a 503), but none of H2's storage
 * failures, and Hibernate's statements make 53xxx and 57P0x an uncategorized error (a
 * 500). So one rule, {@link #isUnavailable}, decides for JDBC statements
 * ({@link #translator()}, which Spring Boot gives the {@code JdbcTemplate} and Hibernate)
 * and for the ends of transactions.
 */
@Configuration(proxyBeanMethods = false)
class StorageFailures {

	/**
	 * H2's error codes of a closed database or a failed read or write of its file:
	 * DATABASE_IS_CLOSED, DATABASE_CALLED_AT_SHUTDOWN, IO_EXCEPTION_1, IO_EXCEPTION_2,
	 * FILE_CORRUPTED_1.
	 */
	private static final Set<Integer> H2_GONE = Set.of(90098, 90121, 90028, 90031, 90030);

	/** H2's GENERAL_ERROR_1, a storage failure when it wraps one of the MVStore. */
	private static final int H2_GENERAL_ERROR = 50000;

	/**
	 * PostgreSQL's SQL states of a server that is going away or coming back
	 * (admin_shutdown, crash_shutdown, cannot_connect_now: a PANIC and the crash recovery
	 * that follows it, a restart); the whole class 53 (insufficient resources: disk_full,
	 * out_of_memory, too_many_connections) and class 08 (connection exception) count too.
	 */
	private static final Set<String> SERVER_GOING_AWAY = Set.of("57P01", "57P02", "57P03");

	/** Hikari's message for a connection it closed (after its database went away). */
	private static final String CLOSED_BY_POOL = "Connection is closed";

	/** Whether H2 failed to use its file, or its database is closed. */
	static boolean isH2StorageFailure(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getClass().getName().startsWith("org.h2.")
					&& (H2_GONE.contains(sql.getErrorCode())
							|| sql.getErrorCode() == H2_GENERAL_ERROR && sql.getCause() instanceof MVStoreException)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether the database failed for want of resources (its disk above all), is going
	 * away or restarting, or the connection to it is lost: anywhere in the causes.
	 */
	static boolean isUnavailable(Throwable ex) {
		if (isH2StorageFailure(ex)) {
			return true;
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql) {
				String state = sql.getSQLState();
				if (state == null ? CLOSED_BY_POOL.equals(sql.getMessage())
						: state.startsWith("08") || state.startsWith("53") || SERVER_GOING_AWAY.contains(state)) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Spring's translation of JDBC failures, but storage failures first; Spring Boot sets
	 * it on the {@code JdbcTemplate} (so on {@code JdbcClient} and the batches of steps)
	 * and on Hibernate's dialect (the statements of the repositories).
	 */
	@Bean
	SQLExceptionTranslator translator() {
		return new Translator();
	}

	/** The ends of JPA transactions (commit, rollback) under the same rule. */
	@Bean
	static BeanPostProcessor transactionEndFailureTranslation() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof JpaTransactionManager manager
						&& manager.getJpaDialect() instanceof HibernateJpaDialect dialect
						&& !(dialect instanceof TransactionEnds)) {
					manager.setJpaDialect(new TransactionEnds());
				}
				return bean;
			}
		};
	}

	private static TransientDataAccessResourceException unavailable(String what, Throwable ex) {
		return new TransientDataAccessResourceException(
				what + " failed: the database cannot write, is restarting or is out of reach", ex);
	}

	/** {@link SQLExceptionSubclassTranslator} with storage failures first. */
	private static final class Translator extends SQLExceptionSubclassTranslator {

		@Override
		protected @Nullable DataAccessException doTranslate(String task, @Nullable String sql, SQLException ex) {
			return isUnavailable(ex) ? unavailable(task, ex) : super.doTranslate(task, sql, ex);
		}

	}

	/**
	 * Hibernate's translation with storage failures first, for what fails outside a
	 * statement: a commit or rollback reports its {@code SQLException} inside a
	 * {@code TransactionException}, which Spring translates by SQL state only (nothing
	 * for H2's storage failures).
	 */
	private static final class TransactionEnds extends HibernateJpaDialect {

		TransactionEnds() {
			setJdbcExceptionTranslator(new Translator());
		}

		@Override
		public @Nullable DataAccessException translateExceptionIfPossible(RuntimeException ex) {
			return isUnavailable(ex) ? unavailable("The transaction's end", ex)
					: super.translateExceptionIfPossible(ex);
		}

	}

}
