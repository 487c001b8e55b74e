package dev.stepwise.scheduler.store;

import java.util.List;

import dev.stepwise.scheduler.SchedulerDetails;
import dev.stepwise.scheduler.SchedulerListQuery;
import dev.stepwise.scheduler.SchedulerPosition;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The list of schedulers in plain JDBC: one page, filtered and sorted in the database
 * (offset and limit: no more rows than the page reach the service), each row with the
 * metric of its latest history record, looked up for the page's rows only (one probe of
 * the history's position index each).
 */
@Component
class SchedulerListRows {

	private static final String COLUMNS = "id, public_id, last_epoch, param_groups_json, spec_json,"
			+ " initial_param_groups_json, created_at, updated_at, attempt, attempt_started, consumed";

	private static final String WHERE = " where public_id like ? escape '\\' and public_id like ? escape '\\'";

	private static final String LAST_METRIC = "(select h.metric from scheduler_step h where h.scheduler_id = p.id"
			+ " order by h.scheduler_id desc, h.position desc fetch first 1 row only)";

	private final JdbcClient jdbc;

	SchedulerListRows(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * The page of the schedulers whose id is like both {@code scopeLike} and the query's
	 * filter (SQL {@code LIKE} patterns escaped with {@code \}).
	 */
	List<Row> page(String scopeLike, SchedulerListQuery query) {
		String order = order(query);
		// the inner query pages, the outer one adds the metric to the page's rows only
		String sql = "select p.*, " + LAST_METRIC + " as last_metric from (select " + COLUMNS + " from scheduler"
				+ WHERE + " order by " + order + " offset ? rows fetch next ? rows only) p order by " + order;
		return this.jdbc.sql(sql)
			.params(scopeLike, query.idContainsLike(), (long) query.page() * query.size(), query.size())
			.query((rs, row) -> {
				double metric = rs.getDouble("last_metric");
				Double lastMetric = rs.wasNull() ? null : metric;
				SchedulerDetails details = new SchedulerDetails(
						new SchedulerPosition(rs.getString("public_id"), rs.getLong("last_epoch"),
								rs.getString("param_groups_json"), rs.getObject("consumed", Long.class)),
						rs.getString("spec_json"), rs.getString("initial_param_groups_json"),
						BatchStatements.instant(rs, rs.findColumn("created_at")),
						BatchStatements.instant(rs, rs.findColumn("updated_at")), rs.getString("attempt"),
						rs.getBoolean("attempt_started"));
				return new Row(details, lastMetric);
			})
			.list();
	}

	/** How many schedulers the filters match. */
	long count(String scopeLike, SchedulerListQuery query) {
		return this.jdbc.sql("select count(*) from scheduler" + WHERE)
			.params(scopeLike, query.idContainsLike())
			.query(Long.class)
			.single();
	}

	/** The order by, from a closed set of columns (no request text reaches the SQL). */
	private static String order(SchedulerListQuery query) {
		String column = switch (query.sort()) {
			case CREATED_AT -> "created_at";
			case ID -> "public_id";
			case UPDATED_AT -> "updated_at";
			case LAST_EPOCH -> "last_epoch";
		};
		String direction = query.ascending() ? " asc" : " desc";
		return column + direction + ", id" + direction;
	}

	/**
	 * A scheduler of the page.
	 *
	 * @param details the scheduler
	 * @param lastMetric the metric of its latest history record
	 */
	record Row(SchedulerDetails details, @Nullable Double lastMetric) {
	}

}
