package dev.stepwise.scheduler.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.stepwise.scheduler.HistoryEntry;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The {@code scheduler_step} table (the history) in plain JDBC, for the hot path of
 * steps: the lookup of a recorded position that a replay answers from, and the batched
 * insert of new records. {@link SchedulerStepEntity} maps the same table for JPA;
 * {@code SchedulerStepTableTests} checks that both read what the other wrote.
 */
@Component
public class SchedulerStepRows {

	private static final String RECORDED = "select last_epoch, position, metric, param_groups_json, recorded_at, consumed"
			+ " from scheduler_step where scheduler_id = ? and position = ?";

	private static final String INSERT = "insert into scheduler_step (scheduler_id, last_epoch, position, metric,"
			+ " state_json, param_groups_json, recorded_at, attempt, consumed) values (?, ?, ?, ?, ?, ?, ?, ?, ?)";

	private static final String CUT = "delete from scheduler_step where scheduler_id = ? and position >= ?";

	/** The history record of a position, without its state document. */
	public Optional<HistoryEntry> recorded(BatchStatements statements, long pk, double position) {
		try {
			PreparedStatement recorded = statements.prepared(RECORDED);
			recorded.setLong(1, pk);
			recorded.setDouble(2, position);
			try (ResultSet rs = recorded.executeQuery()) {
				if (!rs.next()) {
					return Optional.empty();
				}
				double value = rs.getDouble(3);
				Double metric = rs.wasNull() ? null : value;
				return Optional.of(new HistoryEntry(rs.getLong(1), rs.getDouble(2), metric, rs.getString(4),
						BatchStatements.instant(rs, 5), null, rs.getObject(6, Long.class)));
			}
		}
		catch (SQLException ex) {
			throw statements.translated(RECORDED, ex);
		}
	}

	/** Appends the records to the schedulers' histories, in one JDBC batch. */
	public void insert(BatchStatements statements, List<Recorded> records) {
		try {
			PreparedStatement insert = statements.prepared(INSERT);
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
				insert.setObject(7, BatchStatements.timestamp(record.at()));
				insert.setString(8, record.attempt());
				insert.setObject(9, snapshot.consumed(), Types.BIGINT);
				insert.addBatch();
			}
			insert.executeBatch();
		}
		catch (SQLException ex) {
			throw statements.translated(INSERT, ex);
		}
	}

	/**
	 * Cuts a scheduler's history from {@code position} on: the first step of an attempt
	 * that starts without a checkpoint discards the superseded attempts' records after
	 * the schedule's start (then records the start again). Deletes the
	 * {@link HistoryTiles} it changes.
	 */
	public void cut(BatchStatements statements, long pk, double position) {
		try {
			PreparedStatement cut = statements.prepared(CUT);
			cut.setLong(1, pk);
			cut.setDouble(2, position);
			cut.executeUpdate();
			PreparedStatement tiles = statements.prepared(HistoryTiles.CUT_TILES);
			tiles.setLong(1, pk);
			tiles.setLong(2, HistoryTiles.tileOf(position));
			tiles.executeUpdate();
			PreparedStatement counted = statements.prepared(HistoryTiles.COUNT_CUT);
			counted.setLong(1, pk);
			counted.executeUpdate();
		}
		catch (SQLException ex) {
			throw statements.translated(CUT, ex);
		}
	}

	/**
	 * A new history record.
	 *
	 * @param pk the scheduler's surrogate key
	 * @param snapshot the state the step produced
	 * @param metric the metric it was given
	 * @param at when it was taken
	 * @param attempt the training attempt that took it, or {@code null}
	 */
	public record Recorded(long pk, Snapshot snapshot, @Nullable Double metric, Instant at, @Nullable String attempt) {

		/** A record without an attempt. */
		public Recorded(long pk, Snapshot snapshot, @Nullable Double metric, Instant at) {
			this(pk, snapshot, metric, at, null);
		}

	}

}
