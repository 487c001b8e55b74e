package dev.stepwise.scheduler.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.stepwise.scheduler.CurrentPosition;
import dev.stepwise.scheduler.SchedulerPosition;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code scheduler} table in plain JDBC, for the hot paths: the current position that
 * {@code GET .../lr} reads (no persistence context, no state document parsed), and the
 * locked read and the update of a batch of steps. {@link SchedulerEntity} maps the same
 * table for JPA; {@code SchedulerTableTests} checks that both read what the other wrote.
 */
@Component
public class SchedulerRows {

	private static final String CURRENT = "select id, last_epoch, param_groups_json, version, consumed from scheduler"
			+ " where public_id = ?";

	private static final String LOCK = "select id, created_at, last_epoch, position, state_json, attempt,"
			+ " attempt_started, amendment, pending_epoch from scheduler where public_id = ? for update";

	private static final String SOURCE = "select s.request_json, s.initial_param_groups_json, a.source_json"
			+ " from scheduler s left join scheduler_amendment a on a.id = s.amendment where s.id = ?";

	// a step starts the current attempt if it had not started
	private static final String UPDATE = "update scheduler set last_epoch = ?, position = ?, state_json = ?,"
			+ " param_groups_json = ?, consumed = ?, version = version + 1, updated_at = ?, attempt_started = TRUE"
			+ " where id = ?";

	private final JdbcClient jdbc;

	SchedulerRows(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The current position of scheduler {@code publicId} with its row's revision. */
	public Optional<CurrentPosition> current(String publicId) {
		return this.jdbc.sql(CURRENT)
			.param(publicId)
			.query((rs,
					row) -> new CurrentPosition(new SchedulerPosition(publicId, rs.getLong(2), rs.getString(3),
							rs.getObject(5, Long.class)), rs.getLong(1), rs.getLong(4)))
			.optional();
	}

	/** The scheduler's row, locked until the transaction ends. */
	public Optional<Locked> lock(BatchStatements statements, String publicId) {
		try {
			PreparedStatement lock = statements.prepared(LOCK);
			lock.setString(1, publicId);
			try (ResultSet rs = lock.executeQuery()) {
				return rs.next() ? Optional.of(new Locked(rs.getLong(1), BatchStatements.instant(rs, 2), rs.getLong(3),
						rs.getDouble(4), rs.getString(5), rs.getString(6), rs.getBoolean(7),
						rs.getObject(8, Long.class), rs.getObject(9, Long.class))) : Optional.empty();
			}
		}
		catch (SQLException ex) {
			throw statements.translated(LOCK, ex);
		}
	}

	/** The columns the scheduler's schedule is compiled from. */
	public SchedulerCache.Source source(BatchStatements statements, long pk) {
		try {
			PreparedStatement source = statements.prepared(SOURCE);
			source.setLong(1, pk);
			try (ResultSet rs = source.executeQuery()) {
				if (!rs.next()) {
					throw new IllegalStateException("No scheduler with key " + pk);
				}
				return new SchedulerCache.Source(rs.getString(1), rs.getString(2), rs.getString(3));
			}
		}
		catch (SQLException ex) {
			throw statements.translated(SOURCE, ex);
		}
	}

	/** Makes each snapshot its scheduler's current state, in one JDBC batch. */
	public void update(BatchStatements statements, List<Moved> moves) {
		try {
			PreparedStatement update = statements.prepared(UPDATE);
			for (Moved move : moves) {
				Snapshot snapshot = move.snapshot();
				update.setLong(1, snapshot.lastEpoch());
				update.setDouble(2, snapshot.position());
				update.setString(3, snapshot.stateJson());
				update.setString(4, snapshot.paramGroupsJson());
				update.setObject(5, snapshot.consumed(), Types.BIGINT);
				update.setObject(6, BatchStatements.timestamp(move.at()));
				update.setLong(7, move.pk());
				update.addBatch();
			}
			update.executeBatch();
		}
		catch (SQLException ex) {
			throw statements.translated(UPDATE, ex);
		}
	}

	/**
	 * A scheduler's row as a step reads it.
	 *
	 * @param pk the surrogate key
	 * @param createdAt when it was registered (with {@code pk}, the key of its compiled
	 * schedule)
	 * @param lastEpoch its {@code last_epoch}
	 * @param position the epoch last stepped to
	 * @param stateJson its state document
	 * @param attempt its current training attempt, or {@code null}
	 * @param attemptStarted whether that attempt has started ({@code true} without one)
	 * @param amendment the amendment in force, or {@code null}
	 * @param pendingEpoch the epoch of the pending amendment, or {@code null}
	 */
	public record Locked(long pk, Instant createdAt, long lastEpoch, double position, String stateJson,
			@Nullable String attempt, boolean attemptStarted, @Nullable Long amendment, @Nullable Long pendingEpoch) {

		/** The key of its compiled schedule's amendment: 0 for the registered spec. */
		public long amendmentKey() {
			return (this.amendment != null) ? this.amendment : 0;
		}

	}

	/**
	 * A scheduler's new current state.
	 *
	 * @param pk the scheduler's surrogate key
	 * @param snapshot the state
	 * @param at when it was reached
	 */
	public record Moved(long pk, Snapshot snapshot, Instant at) {
	}

}
