package dev.stepwise.scheduler.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.stepwise.scheduler.AmendmentRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Component;

/**
 * The {@code scheduler_amendment} table in plain JDBC, in the caller's transaction (a
 * request's, or a batch of steps' when a step reaches a pending amendment's epoch).
 */
@Component
public class AmendmentRows {

	private static final String COLUMNS = "id, amendment_id, at_epoch, status, request_json, spec_json, lrs_json,"
			+ " detail, created_at, applied_at, undone_at";

	private final JdbcClient jdbc;

	AmendmentRows(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The amendment {@code amendmentId} of scheduler {@code schedulerPk}, if posted. */
	public Optional<Row> find(long schedulerPk, String amendmentId) {
		return this.jdbc
			.sql("select " + COLUMNS + " from scheduler_amendment where scheduler_id = ? and amendment_id = ?")
			.params(schedulerPk, amendmentId)
			.query(AmendmentRows::row)
			.optional();
	}

	/** The scheduler's pending amendment (there is at most one). */
	public Optional<Row> pending(long schedulerPk) {
		return this.jdbc
			.sql("select " + COLUMNS + " from scheduler_amendment where scheduler_id = ? and status = ?"
					+ " order by id fetch first 1 rows only")
			.params(schedulerPk, AmendmentRecord.PENDING)
			.query(AmendmentRows::row)
			.optional();
	}

	/**
	 * Every amendment of the scheduler, in the order they were posted (at most
	 * {@code most}).
	 */
	public List<AmendmentRecord> list(long schedulerPk, int most) {
		return this.jdbc
			.sql("select " + COLUMNS + " from scheduler_amendment where scheduler_id = ?"
					+ " order by scheduler_id, id fetch first ? rows only")
			.params(schedulerPk, most)
			.query(AmendmentRows::row)
			.list()
			.stream()
			.map(Row::record)
			.toList();
	}

	/** How many amendments the scheduler has. */
	public long count(long schedulerPk) {
		return this.jdbc.sql("select count(*) from scheduler_amendment where scheduler_id = ?")
			.param(schedulerPk)
			.query(Long.class)
			.single();
	}

	/** Records a new pending amendment. */
	public long insert(long schedulerPk, String amendmentId, long atEpoch, String requestJson, Instant now) {
		KeyHolder key = new GeneratedKeyHolder();
		this.jdbc
			.sql("insert into scheduler_amendment (scheduler_id, amendment_id, at_epoch, request_json, status,"
					+ " created_at) values (?, ?, ?, ?, ?, ?)")
			.params(schedulerPk, amendmentId, atEpoch, requestJson, AmendmentRecord.PENDING,
					BatchStatements.timestamp(now))
			.update(key, "id");
		return key.getKeyAs(Long.class);
	}

	/** Posts an undone or failed amendment again: pending anew. */
	public void reopen(long pk, long atEpoch, String requestJson, Instant now) {
		this.jdbc
			.sql("update scheduler_amendment set at_epoch = ?, request_json = ?, status = ?, source_json = null,"
					+ " spec_json = null, lrs_json = null, detail = null, created_at = ?, applied_at = null,"
					+ " undone_at = null where id = ?")
			.params(atEpoch, requestJson, AmendmentRecord.PENDING, BatchStatements.timestamp(now), pk)
			.update();
	}

	/** Marks an amendment in force, with what its schedule is built from. */
	public void applied(long pk, String sourceJson, String specJson, String lrsJson, Instant now) {
		this.jdbc
			.sql("update scheduler_amendment set status = ?, source_json = ?, spec_json = ?, lrs_json = ?,"
					+ " applied_at = ? where id = ?")
			.params(AmendmentRecord.APPLIED, sourceJson, specJson, lrsJson, BatchStatements.timestamp(now), pk)
			.update();
	}

	/** Marks a pending amendment refused by the engine when its epoch was reached. */
	public void failed(long pk, String detail, Instant now) {
		this.jdbc.sql("update scheduler_amendment set status = ?, detail = ?, applied_at = ? where id = ?")
			.params(AmendmentRecord.FAILED, (detail.length() > 2000) ? detail.substring(0, 2000) : detail,
					BatchStatements.timestamp(now), pk)
			.update();
	}

	/**
	 * Undoes the applied amendments after {@code epoch} (a resume or state PUT went back
	 * before them).
	 */
	public void undoAfter(long schedulerPk, long epoch, Instant now) {
		this.jdbc
			.sql("update scheduler_amendment set status = ?, undone_at = ? where scheduler_id = ? and status = ?"
					+ " and at_epoch > ?")
			.params(AmendmentRecord.UNDONE, BatchStatements.timestamp(now), schedulerPk, AmendmentRecord.APPLIED, epoch)
			.update();
	}

	/** The amendment in force at {@code epoch}: the last applied at or before it. */
	public @Nullable Long inForceAt(long schedulerPk, long epoch) {
		return this.jdbc
			.sql("select id from scheduler_amendment where scheduler_id = ? and status = ? and at_epoch <= ?"
					+ " order by at_epoch desc, applied_at desc, id desc fetch first 1 rows only")
			.params(schedulerPk, AmendmentRecord.APPLIED, epoch)
			.query(Long.class)
			.optional()
			.orElse(null);
	}

	/**
	 * Puts amendment {@code amendmentPk} in force on the scheduler's row ({@code null}:
	 * the registered spec), with {@code pendingEpoch} the epoch of the one pending.
	 */
	public void inForce(long schedulerPk, @Nullable Long amendmentPk, @Nullable Long pendingEpoch) {
		this.jdbc.sql("update scheduler set amendment = ?, pending_epoch = ? where id = ?")
			.params(amendmentPk, pendingEpoch, schedulerPk)
			.update();
	}

	/** What amendment {@code pk}'s schedule is built from. */
	public @Nullable String source(long pk) {
		return this.jdbc.sql("select source_json from scheduler_amendment where id = ?")
			.param(pk)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	/** The param groups the scheduler was registered with, as JSON. */
	public String registeredGroups(long schedulerPk) {
		return this.jdbc.sql("select initial_param_groups_json from scheduler where id = ?")
			.param(schedulerPk)
			.query(String.class)
			.single();
	}

	/**
	 * Rewrites the history record at {@code position} with the state an amendment applied
	 * there.
	 */
	public void rewriteRecord(long schedulerPk, Snapshot snapshot) {
		this.jdbc
			.sql("update scheduler_step set state_json = ?, param_groups_json = ? where scheduler_id = ?"
					+ " and position = ?")
			.params(snapshot.stateJson(), snapshot.paramGroupsJson(), schedulerPk, snapshot.position())
			.update();
	}

	void delete(long schedulerPk) {
		this.jdbc.sql("delete from scheduler_amendment where scheduler_id = ?").param(schedulerPk).update();
	}

	private static Row row(ResultSet rs, int row) throws SQLException {
		return new Row(rs.getLong(1),
				new AmendmentRecord(rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6),
						rs.getString(7), rs.getString(8), BatchStatements.instant(rs, 9), instantOrNull(rs, 10),
						instantOrNull(rs, 11)));
	}

	private static @Nullable Instant instantOrNull(ResultSet rs, int column) throws SQLException {
		return (rs.getObject(column) != null) ? BatchStatements.instant(rs, column) : null;
	}

	/**
	 * An amendment's row.
	 *
	 * @param pk its surrogate key
	 * @param record the amendment
	 */
	public record Row(long pk, AmendmentRecord record) {
	}

}
