package dev.stepwise.scheduler.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.stepwise.scheduler.RestoreRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code scheduler_restore} table in plain JDBC: every resume and state PUT of a
 * scheduler, in the caller's transaction.
 */
@Component
class RestoreRows {

	private static final String INSERT = "insert into scheduler_restore (scheduler_id, restored_by, epoch,"
			+ " discarded_to, attempt, restored_at) values (?, ?, ?, ?, ?, ?)";

	private static final String LATEST = "select restored_by, epoch, discarded_to, attempt, restored_at"
			+ " from scheduler_restore where scheduler_id = ? order by scheduler_id desc, id desc fetch first ? rows only";

	private static final String DELETE = "delete from scheduler_restore where scheduler_id = ?";

	private final JdbcClient jdbc;

	RestoreRows(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(long pk, String restoredBy, long epoch, @Nullable Double discardedTo, @Nullable String attempt,
			Instant at) {
		this.jdbc.sql(INSERT)
			.params(pk, restoredBy, epoch, discardedTo, attempt, BatchStatements.timestamp(at))
			.update();
	}

	/** The scheduler's latest {@code most} restores, oldest first. */
	List<RestoreRecord> latest(long pk, int most) {
		List<RestoreRecord> newestFirst = new ArrayList<>(this.jdbc.sql(LATEST).params(pk, most).query((rs, row) -> {
			double value = rs.getDouble(3);
			// read at once: wasNull speaks of the last column read
			Double discardedTo = rs.wasNull() ? null : value;
			return new RestoreRecord(rs.getString(1), rs.getLong(2), discardedTo, rs.getString(4),
					BatchStatements.instant(rs, 5));
		}).list());
		Collections.reverse(newestFirst);
		return newestFirst;
	}

	void delete(long pk) {
		this.jdbc.sql(DELETE).param(pk).update();
	}

}
