package dev.stepwise.scheduler.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

import dev.stepwise.scheduler.AttemptRecord;

import org.springframework.stereotype.Component;

/**
 * The {@code scheduler_attempt} table in plain JDBC, for the step path: the first step of
 * an attempt that had not started records that it started by a step.
 * {@link SchedulerAttemptEntity} maps the same table for JPA.
 */
@Component
public class SchedulerAttemptRows {

	private static final String STARTED = "update scheduler_attempt set started_by = ?, start_epoch = ?,"
			+ " started_at = ? where scheduler_id = ? and attempt = ? and started_by is null";

	/**
	 * Records that {@code attempt} of scheduler {@code pk} started with a step from
	 * {@code epoch} (the schedule's start), unless it had started.
	 */
	public void startedByStep(BatchStatements statements, long pk, String attempt, double epoch, Instant at) {
		try {
			PreparedStatement started = statements.prepared(STARTED);
			started.setString(1, AttemptRecord.BY_STEP);
			started.setDouble(2, epoch);
			started.setObject(3, BatchStatements.timestamp(at));
			started.setLong(4, pk);
			started.setString(5, attempt);
			started.executeUpdate();
		}
		catch (SQLException ex) {
			throw statements.translated(STARTED, ex);
		}
	}

}
