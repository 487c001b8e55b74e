package dev.stepwise.scheduler.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.stepwise.scheduler.M4Selection;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Summaries of a history's curve by tiles of {@value #TILE} positions, so that a chart of
 * a long history reads about a thousand summaries instead of every record: each complete
 * tile keeps its record count and the records an M4 bucket would keep of it (first, last,
 * lowest and highest lr and metric), which select exactly what its records would in any
 * bucket made of whole tiles ({@link M4Selection#aligned}).
 * <p>
 * A tile is complete once a record lies beyond it: steps only move forward, so only a cut
 * (a resume, a state PUT, an attempt's restart, a deletion) changes it, and every cut
 * deletes the tiles from where it cuts and counts itself in {@code history_cuts}. Reads
 * summarise missing tiles as they scan them and store them in a short transaction that
 * locks the scheduler's row and stores nothing if a cut came in between.
 */
@Component
public class HistoryTiles {

	/** Positions per tile. */
	public static final int TILE = 1024;

	/** Summaries stored per transaction. */
	static final int STORE_BATCH = 1024;

	/** A cut's deletion of the tiles it changes ({@code scheduler_id}, first tile). */
	static final String CUT_TILES = "delete from scheduler_step_tile where scheduler_id = ? and tile >= ?";

	/** A cut's count ({@code id}). */
	static final String COUNT_CUT = "update scheduler set history_cuts = history_cuts + 1 where id = ?";

	private static final String CUTS = "select history_cuts from scheduler where id = ?";

	private static final String TILES = "select tile, records, candidates from scheduler_step_tile"
			+ " where scheduler_id = ? and tile >= ? and tile <= ? order by scheduler_id, tile";

	private static final String INSERT = "insert into scheduler_step_tile (scheduler_id, tile, records, candidates)"
			+ " select ?, ?, ?, ? where not exists"
			+ " (select 1 from scheduler_step_tile where scheduler_id = ? and tile = ?)";

	private final JdbcClient jdbc;

	private final HistoryRows rows;

	private final TransactionTemplate transactions;

	HistoryTiles(JdbcClient jdbc, HistoryRows rows, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.rows = rows;
		this.transactions = new TransactionTemplate(transactionManager);
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/** The tile of a position. */
	static long tileOf(double position) {
		return (long) Math.floor(position / TILE);
	}

	/**
	 * Hands the curve from {@code first} to {@code last} (positions of records) to
	 * {@code each} in position order: the records of the first and last tile, and of
	 * every tile between them without a summary (which it summarises and stores), and the
	 * summaries' records of the others.
	 * @return how many records the range holds
	 */
	long scan(long pk, double first, double last, int groupsLength, HistoryRows.Sample each) {
		long firstTile = tileOf(first);
		long lastTile = tileOf(last);
		if (lastTile - firstTile < 2) {
			return this.rows.scan(pk, first, last, groupsLength, each);
		}
		long cuts = cuts(pk);
		Map<Long, Summary> stored = stored(pk, firstTile + 1, lastTile - 1);
		List<Summary> computed = new ArrayList<>();
		long records = this.rows.scan(pk, first, Math.nextDown((firstTile + 1) * (double) TILE), groupsLength, each);
		long tile = firstTile + 1;
		while (tile < lastTile) {
			Summary summary = stored.get(tile);
			if (summary != null) {
				summary.candidates().forEach((point) -> each.accept(point.position(), point.lr(), point.metric()));
				records += summary.records();
				tile++;
				continue;
			}
			long runEnd = tile;
			while (runEnd < lastTile && !stored.containsKey(runEnd)) {
				runEnd++;
			}
			Summarising summarising = new Summarising(each, computed);
			records += this.rows.scan(pk, tile * (double) TILE, Math.nextDown(runEnd * (double) TILE), groupsLength,
					summarising);
			summarising.close();
			if (computed.size() >= STORE_BATCH) {
				store(pk, cuts, computed);
				computed.clear();
			}
			tile = runEnd;
		}
		store(pk, cuts, computed);
		return records + this.rows.scan(pk, lastTile * (double) TILE, last, groupsLength, each);
	}

	/**
	 * Deletes the tiles a cut of the history from {@code position} on changes, and counts
	 * the cut, in the caller's transaction (which holds the scheduler's row).
	 */
	void cut(long pk, double position) {
		this.jdbc.sql(CUT_TILES).params(pk, tileOf(position)).update();
		this.jdbc.sql(COUNT_CUT).param(pk).update();
	}

	private long cuts(long pk) {
		return this.jdbc.sql(CUTS).param(pk).query(Long.class).optional().orElse(-1L);
	}

	private Map<Long, Summary> stored(long pk, long from, long to) {
		Map<Long, Summary> stored = new TreeMap<>();
		this.jdbc.sql(TILES).params(pk, from, to).query((rs) -> {
			long tile = rs.getLong(1);
			stored.put(tile, new Summary(tile, rs.getLong(2), decode(rs.getString(3))));
		});
		return stored;
	}

	/**
	 * Stores summaries unless a cut came after {@code cuts} was read: the scheduler's row
	 * is locked as every cut locks it.
	 */
	void store(long pk, long cuts, List<Summary> summaries) {
		if (summaries.isEmpty()) {
			return;
		}
		this.transactions.executeWithoutResult((status) -> {
			Long now = this.jdbc.sql(CUTS + " for update").param(pk).query(Long.class).optional().orElse(null);
			if (now == null || now != cuts) {
				return;
			}
			for (Summary summary : summaries) {
				this.jdbc.sql(INSERT)
					.params(pk, summary.tile(), summary.records(), encode(summary.candidates()), pk, summary.tile())
					.update();
			}
		});
	}

	/**
	 * A tile's candidates as text: {@code position,lr,metric;...}, an absent metric
	 * empty.
	 */
	static String encode(List<Point> candidates) {
		StringBuilder text = new StringBuilder();
		for (Point point : candidates) {
			if (!text.isEmpty()) {
				text.append(';');
			}
			text.append(point.position()).append(',').append(point.lr()).append(',');
			if (point.metric() != null) {
				text.append(point.metric().doubleValue());
			}
		}
		return text.toString();
	}

	static List<Point> decode(String text) {
		List<Point> points = new ArrayList<>();
		for (String point : text.split(";")) {
			String[] values = point.split(",", -1);
			points.add(new Point(Double.parseDouble(values[0]), Double.parseDouble(values[1]),
					values[2].isEmpty() ? null : Double.valueOf(values[2])));
		}
		return points;
	}

	/** A record of a curve. */
	record Point(double position, double lr, @Nullable Double metric) {
	}

	/** A complete tile: how many records it holds and the ones M4 keeps of it. */
	record Summary(long tile, long records, List<Point> candidates) {
	}

	/** Passes records on and summarises them tile by tile. */
	private static final class Summarising implements HistoryRows.Sample {

		private final HistoryRows.Sample each;

		private final List<Summary> summaries;

		private long tile = Long.MIN_VALUE;

		private long records;

		private @Nullable M4Selection<Point> selection;

		Summarising(HistoryRows.Sample each, List<Summary> summaries) {
			this.each = each;
			this.summaries = summaries;
		}

		@Override
		public void accept(double position, double lr, @Nullable Double metric) {
			this.each.accept(position, lr, metric);
			long of = tileOf(position);
			if (of != this.tile) {
				close();
				this.tile = of;
				this.selection = M4Selection.aligned(of * (double) TILE, TILE, 1);
			}
			this.records++;
			this.selection.add(position, lr, metric, new Point(position, lr, metric));
		}

		void close() {
			if (this.selection != null) {
				this.summaries.add(new Summary(this.tile, this.records, this.selection.selected()));
			}
			this.selection = null;
			this.records = 0;
		}

	}

}
