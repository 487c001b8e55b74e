package dev.stepwise.scheduler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.stereotype.Component;

/**
 * The statements of the step hot path in plain JDBC, run in the caller's transaction: the locked read
 * of a scheduler's position and state, the lookup of a recorded position, and the batched writes of
 * new states and history records. Each is prepared once per batch and executed for all its steps
 * (H2 parses a {@code SELECT ... FOR UPDATE} at every prepare: it never caches one).
 */
@Component
class StepRows {

	private static final String LOCK = "select id, created_at, last_epoch, position, state_json from scheduler"
			+ " where public_id = ? for update";

	private static final String SOURCE = "select request_json, initial_param_groups_json from scheduler where id = ?";

	private static final String RECORDED = "select last_epoch, position, metric, param_groups_json, recorded_at"
			+ " from scheduler_step where scheduler_id = ? and position = ?";

	private static final String UPDATE = "update scheduler set last_epoch = ?, position = ?, state_json = ?,"
			+ " param_groups_json = ?, version = version + 1, updated_at = ? where id = ?";

	private static final String INSERT = "insert into scheduler_step (scheduler_id, last_epoch, position, metric,"
			+ " state_json, param_groups_json, recorded_at) values (?, ?, ?, ?, ?, ?, ?)";

	private final JdbcTemplate jdbc;

	StepRows(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Runs {@code work} with statements on the transaction's connection, closed afterwards. */
	<T> T withStatements(Function<Statements, T> work) {
		SQLExceptionTranslator translator = this.jdbc.getExceptionTranslator();
		return Objects.requireNonNull(this.jdbc.execute((ConnectionCallback<T>) (connection) -> {
			try (Statements statements = new Statements(connection, translator)) {
				return work.apply(statements);
			}
		}));
	}

	/**
	 * The prepared statements of one batch. Their methods throw Spring's
	 * {@link org.springframework.dao.DataAccessException}s.
	 */
	static final class Statements implements AutoCloseable {

		private final Connection connection;

		private final SQLExceptionTranslator translator;

		private @Nullable PreparedStatement lock;

		private @Nullable PreparedStatement source;

		private @Nullable PreparedStatement recorded;

		Statements(Connection connection, SQLExceptionTranslator translator) {
			this.connection = connection;
			this.translator = translator;
		}

		/** The scheduler's current row, locked until the transaction ends. */
		Optional<Locked> lock(String publicId) {
			try {
				this.lock = prepared(this.lock, LOCK);
				this.lock.setString(1, publicId);
				try (ResultSet rs = this.lock.executeQuery()) {
					return rs.next() ? Optional.of(new Locked(rs.getLong(1), instant(rs, 2), rs.getLong(3),
							rs.getDouble(4), rs.getString(5))) : Optional.empty();
				}
			}
			catch (SQLException ex) {
				throw translated(LOCK, ex);
			}
		}

		/** The columns the scheduler's schedule is compiled from. */
		ScheduleCache.Source source(long pk) {
			try {
				this.source = prepared(this.source, SOURCE);
				this.source.setLong(1, pk);
				try (ResultSet rs = this.source.executeQuery()) {
					if (!rs.next()) {
						throw new IllegalStateException("No scheduler with key " + pk);
					}
					return new ScheduleCache.Source(rs.getString(1), rs.getString(2));
				}
			}
			catch (SQLException ex) {
				throw translated(SOURCE, ex);
			}
		}

		/** The history record of a position, without its state document. */
		Optional<HistoryEntry> recorded(long pk, double position) {
			try {
				this.recorded = prepared(this.recorded, RECORDED);
				this.recorded.setLong(1, pk);
				this.recorded.setDouble(2, position);
				try (ResultSet rs = this.recorded.executeQuery()) {
					if (!rs.next()) {
						return Optional.empty();
					}
					double value = rs.getDouble(3);
					Double metric = rs.wasNull() ? null : value;
					return Optional.of(new HistoryEntry(rs.getLong(1), rs.getDouble(2), metric, rs.getString(4),
							instant(rs, 5)));
				}
			}
			catch (SQLException ex) {
				throw translated(RECORDED, ex);
			}
		}

		/** Makes each snapshot its scheduler's current state. */
		void update(List<Moved> moves) {
			try (PreparedStatement update = this.connection.prepareStatement(UPDATE)) {
				for (Moved move : moves) {
					Snapshot snapshot = move.snapshot();
					update.setLong(1, snapshot.lastEpoch());
					update.setDouble(2, snapshot.position());
					update.setString(3, snapshot.stateJson());
					update.setString(4, snapshot.paramGroupsJson());
					update.setObject(5, timestamp(move.at()));
					update.setLong(6, move.pk());
					update.addBatch();
				}
				update.executeBatch();
			}
			catch (SQLException ex) {
				throw translated(UPDATE, ex);
			}
		}

		/** Appends the records to the schedulers' histories. */
		void insert(List<Recorded> records) {
			try (PreparedStatement insert = this.connection.prepareStatement(INSERT)) {
				for (Recorded record : records) {
					Snapshot snapshot = record.snapshot();
					insert.setLong(1, record.pk());
					insert.setLong(2, snapshot.lastEpoch());
					insert.setDouble(3, snapshot.position());
					if (record.metric() != null) {
						insert.setDouble(4, record.metric());
					}
					else {
						insert.setNull(4, Types.DOUBLE);
					}
					insert.setString(5, snapshot.stateJson());
					insert.setString(6, snapshot.paramGroupsJson());
					insert.setObject(7, timestamp(record.at()));
					insert.addBatch();
				}
				insert.executeBatch();
			}
			catch (SQLException ex) {
				throw translated(INSERT, ex);
			}
		}

		@Override
		public void close() throws SQLException {
			for (PreparedStatement statement : new PreparedStatement[] { this.lock, this.source, this.recorded }) {
				if (statement != null) {
					statement.close();
				}
			}
		}

		private PreparedStatement prepared(@Nullable PreparedStatement statement, String sql) throws SQLException {
			return (statement != null) ? statement : this.connection.prepareStatement(sql);
		}

		private RuntimeException translated(String sql, SQLException ex) {
			RuntimeException translated = this.translator.translate("Step", sql, ex);
			return (translated != null) ? translated : new IllegalStateException(ex);
		}

		private static Instant instant(ResultSet rs, int column) throws SQLException {
			return rs.getObject(column, OffsetDateTime.class).toInstant();
		}

		private static OffsetDateTime timestamp(Instant instant) {
			return instant.atOffset(ZoneOffset.UTC);
		}

	}

	/**
	 * A scheduler's row as a step reads it.
	 *
	 * @param pk the surrogate key
	 * @param createdAt when it was registered (with {@code pk}, the key of its compiled schedule)
	 * @param lastEpoch its {@code last_epoch}
	 * @param position the epoch last stepped to
	 * @param stateJson its state document
	 */
	record Locked(long pk, Instant createdAt, long lastEpoch, double position, String stateJson) {
	}

	/**
	 * A scheduler's new current state.
	 *
	 * @param pk the scheduler's surrogate key
	 * @param snapshot the state
	 * @param at when it was reached
	 */
	record Moved(long pk, Snapshot snapshot, Instant at) {
	}

	/**
	 * A new history record.
	 *
	 * @param pk the scheduler's surrogate key
	 * @param snapshot the state the step produced
	 * @param metric the metric it was given
	 * @param at when it was taken
	 */
	record Recorded(long pk, Snapshot snapshot, @Nullable Double metric, Instant at) {
	}

}
