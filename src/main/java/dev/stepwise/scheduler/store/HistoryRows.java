package dev.stepwise.scheduler.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.stepwise.scheduler.HistoryEntry;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads of a long history in plain JDBC: the extent of a range, a scan of it in position
 * order, in keyset pages of a bounded number of rows (portable, no cursor to configure
 * per database), without the state documents (of each record its curve, or the record
 * whole), and the records chosen from it. What a scan holds at once is one page, whatever
 * the history's length.
 */
@Component
class HistoryRows {

	// both columns of the index in the order: H2 then reads it in order and stops at once
	private static final String LAST = "select position from scheduler_step"
			+ " where scheduler_id = ? and position >= ? and position <= ?"
			+ " order by scheduler_id desc, position desc fetch first 1 row only";

	// the index alone, in order: skips that many entries of it, reads no record
	private static final String NTH = "select position from scheduler_step"
			+ " where scheduler_id = ? and position >= ? and position <= ?"
			+ " order by scheduler_id, position offset ? rows fetch first 1 row only";

	/** The columns of a record as {@link #entry} reads them. */
	private static final String ENTRY = "position, metric, param_groups_json, recorded_at, attempt, consumed, last_epoch";

	private static final String PAGE = "select " + ENTRY + " from scheduler_step"
			+ " where scheduler_id = ? and position > ? and position <= ?"
			// both columns of the index: H2 then reads it in order and stops after the
			// page
			+ " order by scheduler_id, position fetch first ? rows only";

	private static final String RECORD = "select " + ENTRY
			+ " from scheduler_step where scheduler_id = ? and position = ?";

	/** The characters of param groups a page may hold, about twice as many bytes. */
	private static final int PAGE_CHARACTERS = 1 << 20;

	/** The most rows of one page. */
	static final int MAX_PAGE_ROWS = 4096;

	private final JdbcClient jdbc;

	HistoryRows(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * The position of the last record from {@code from} to {@code to}, {@code null} when
	 * there is none: a probe of the index (a count of a range reads every row of it).
	 */
	@Nullable Double lastPosition(long pk, double from, double to) {
		return this.jdbc.sql(LAST).params(pk, from, to).query(Double.class).optional().orElse(null);
	}

	/**
	 * The position of the record {@code skip} records after the first from {@code from}
	 * to {@code to}, {@code null} when there are not that many: tells a long range from a
	 * short one without reading its records.
	 */
	@Nullable Double positionAfter(long pk, double from, double to, long skip) {
		return this.jdbc.sql(NTH).params(pk, from, to, skip).query(Double.class).optional().orElse(null);
	}

	/**
	 * Hands the position, first lr and metric of every record from {@code first} to
	 * {@code last} (inclusive) to {@code each}, in position order, a page at a time; a
	 * page holds at most about {@value #PAGE_CHARACTERS} characters of param groups of
	 * {@code groupsLength} characters each; how many there were.
	 */
	long scan(long pk, double first, double last, int groupsLength, Sample each) {
		return scan(pk, first, last, groupsLength, Long.MAX_VALUE, each);
	}

	/** {@link #scan}, stopping after the first {@code most} records. */
	long scan(long pk, double first, double last, int groupsLength, long most, Sample each) {
		return pages(pk, first, last, groupsLength, most, (rs) -> {
			double position = rs.getDouble(1);
			double value = rs.getDouble(2);
			Double metric = rs.wasNull() ? null : value;
			each.accept(position, firstLr(rs.getString(3)), metric);
			return position;
		});
	}

	/**
	 * {@link #scan}, handing on each record whole (without its state document) with its
	 * first lr: a scan whose chosen records need no lookup afterwards.
	 */
	long scanEntries(long pk, double first, double last, int groupsLength, Entries each) {
		return pages(pk, first, last, groupsLength, Long.MAX_VALUE, (rs) -> {
			HistoryEntry entry = entry(rs);
			each.accept(firstLr(entry.paramGroupsJson()), entry);
			return entry.position();
		});
	}

	private long pages(long pk, double first, double last, int groupsLength, long most, Row row) {
		int pageRows = pageRows(groupsLength);
		double[] after = { Math.nextDown(first) };
		int[] read = new int[1];
		long scanned = 0;
		int rows;
		do {
			read[0] = 0;
			rows = (int) Math.min(pageRows, most - scanned);
			if (rows == 0) {
				break;
			}
			this.jdbc.sql(PAGE).params(pk, after[0], last, rows).query((ResultSet rs) -> {
				after[0] = row.read(rs);
				read[0]++;
			});
			scanned += read[0];
		}
		while (read[0] == rows);
		return scanned;
	}

	/**
	 * The records at {@code positions} (ascending), without their state documents, each
	 * found by its index: H2 reads every record of the scheduler for an {@code IN} list
	 * of positions (6 s for a million records), where a thousand lookups take
	 * milliseconds.
	 */
	List<HistoryEntry> records(long pk, List<Double> positions) {
		List<HistoryEntry> records = new ArrayList<>(positions.size());
		for (double position : positions) {
			this.jdbc.sql(RECORD).params(pk, position).query((rs, row) -> entry(rs)).optional().ifPresent(records::add);
		}
		return records;
	}

	/** A record of {@link #ENTRY}'s columns. */
	private static HistoryEntry entry(ResultSet rs) throws SQLException {
		double position = rs.getDouble(1);
		double value = rs.getDouble(2);
		// read at once: wasNull speaks of the last column read
		Double metric = rs.wasNull() ? null : value;
		return new HistoryEntry(rs.getLong(7), position, metric, rs.getString(3), BatchStatements.instant(rs, 4),
				rs.getString(5), rs.getObject(6, Long.class));
	}

	/** Rows of a page: a bounded number of characters, 16 to {@value #MAX_PAGE_ROWS}. */
	static int pageRows(int groupsLength) {
		return Math.max(16, Math.min(MAX_PAGE_ROWS, PAGE_CHARACTERS / Math.max(1, groupsLength + 64)));
	}

	/**
	 * The lr of the first param group in param groups as the store writes them
	 * ({@code [{"lr":0.1,"momentum":0.9},...]}, non-finite numbers as strings), without
	 * parsing the rest; NaN when there is none.
	 */
	static double firstLr(String paramGroupsJson) {
		int key = paramGroupsJson.indexOf("\"lr\"");
		if (key < 0) {
			return Double.NaN;
		}
		int start = paramGroupsJson.indexOf(':', key) + 1;
		while (start < paramGroupsJson.length() && Character.isWhitespace(paramGroupsJson.charAt(start))) {
			start++;
		}
		int end = start;
		while (end < paramGroupsJson.length() && ",}] ".indexOf(paramGroupsJson.charAt(end)) < 0) {
			end++;
		}
		String value = paramGroupsJson.substring(start, end);
		if (value.startsWith("\"")) {
			value = value.substring(1, value.length() - 1);
		}
		try {
			return Double.parseDouble(value);
		}
		catch (NumberFormatException ex) {
			return Double.NaN;
		}
	}

	/** Reads a row of a page, answers its position. */
	@FunctionalInterface
	private interface Row {

		double read(ResultSet rs) throws SQLException;

	}

	/** What {@link #scanEntries} hands on of each record. */
	@FunctionalInterface
	interface Entries {

		void accept(double firstLr, HistoryEntry entry);

	}

	/** What a scan hands on of each record. */
	@FunctionalInterface
	interface Sample {

		void accept(double position, double firstLr, @Nullable Double metric);

	}

}
