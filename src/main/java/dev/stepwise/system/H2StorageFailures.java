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
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.vendor.HibernateJpaDialect;

/**
 * H2 failing to write its file (a full disk) or closed after such a failure is a
 * transient failure of the database, like an unreachable server: Spring would call it an
 * uncategorized error (a 500), this makes it a
 * {@link TransientDataAccessResourceException} (a 503 with Retry-After), for the
 * statements of JDBC and for the commits of transactions.
 */
@Configuration(proxyBeanMethods = false)
class H2StorageFailures {

	/**
	 * H2's error codes of a closed database or a failed read or write of its file:
	 * DATABASE_IS_CLOSED, DATABASE_CALLED_AT_SHUTDOWN, IO_EXCEPTION_1, IO_EXCEPTION_2,
	 * FILE_CORRUPTED_1.
	 */
	private static final Set<Integer> GONE = Set.of(90098, 90121, 90028, 90031, 90030);

	private static final String CLOSED_BY_POOL = "Connection is closed";

	/** H2's GENERAL_ERROR_1, a storage failure when it wraps one of the MVStore. */
	private static final int GENERAL_ERROR = 50000;

	/** Whether H2 failed to use its file, or its database is closed. */
	static boolean isStorageFailure(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getClass().getName().startsWith("org.h2.")
					&& (GONE.contains(sql.getErrorCode())
							|| sql.getErrorCode() == GENERAL_ERROR && sql.getCause() instanceof MVStoreException)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether the connection was lost (SQL state class 08), or the pool had closed it
	 * (Hikari's "Connection is closed", without a state) after H2 closed the database.
	 */
	private static boolean isConnectionLost(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && (sql.getSQLState() != null && sql.getSQLState().startsWith("08")
					|| sql.getSQLState() == null && CLOSED_BY_POOL.equals(sql.getMessage()))) {
				return true;
			}
		}
		return false;
	}

	@Bean
	static BeanPostProcessor h2CommitFailureTranslation() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof JpaTransactionManager manager
						&& manager.getJpaDialect() instanceof HibernateJpaDialect) {
					manager.setJpaDialect(new CommitFailures());
				}
				return bean;
			}
		};
	}

	/** Hibernate's translation, but for H2's storage failures. */
	private static final class CommitFailures extends HibernateJpaDialect {

		@Override
		public @Nullable DataAccessException translateExceptionIfPossible(RuntimeException ex) {
			if (isStorageFailure(ex) || isConnectionLost(ex)) {
				return new TransientDataAccessResourceException(
						"The transaction's end failed: the database cannot write its file or is gone", ex);
			}
			return super.translateExceptionIfPossible(ex);
		}

	}

}
