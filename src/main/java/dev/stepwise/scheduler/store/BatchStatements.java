package dev.stepwise.scheduler.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * The statements of one batch of steps on the transaction's connection, each prepared
 * once and executed for every step of the batch: H2 parses a
 * {@code SELECT ... FOR UPDATE} at every prepare (it never caches one), which was half of
 * a step's allocation. Closed with the batch.
 */
public final class BatchStatements implements AutoCloseable {

	private final Connection connection;

	private final SQLExceptionTranslator translator;

	private final Map<String, PreparedStatement> prepared = new LinkedHashMap<>();

	private BatchStatements(Connection connection, SQLExceptionTranslator translator) {
		this.connection = connection;
		this.translator = translator;
	}

	/**
	 * Runs {@code work} with the statements of a batch on the transaction's connection.
	 */
	public static <T> T run(JdbcTemplate jdbc, Function<BatchStatements, T> work) {
		SQLExceptionTranslator translator = jdbc.getExceptionTranslator();
		return Objects.requireNonNull(jdbc.execute((ConnectionCallback<T>) (connection) -> {
			try (BatchStatements statements = new BatchStatements(connection, translator)) {
				return work.apply(statements);
			}
		}));
	}

	/** The statement of {@code sql}, prepared at its first use in the batch. */
	PreparedStatement prepared(String sql) throws SQLException {
		PreparedStatement statement = this.prepared.get(sql);
		if (statement == null) {
			statement = this.connection.prepareStatement(sql);
			this.prepared.put(sql, statement);
		}
		return statement;
	}

	/**
	 * A failure of {@code sql} as Spring's
	 * {@link org.springframework.dao.DataAccessException}.
	 */
	RuntimeException translated(String sql, SQLException ex) {
		RuntimeException translated = this.translator.translate("Step", sql, ex);
		return (translated != null) ? translated : new IllegalStateException(ex);
	}

	@Override
	public void close() throws SQLException {
		for (PreparedStatement statement : this.prepared.values()) {
			statement.close();
		}
	}

	static Instant instant(ResultSet rs, int column) throws SQLException {
		return rs.getObject(column, OffsetDateTime.class).toInstant();
	}

	static OffsetDateTime timestamp(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
