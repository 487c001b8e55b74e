package dev.stepwise.scheduler.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.stepwise.scheduler.HistoryEntry;
import dev.stepwise.scheduler.M4Selection;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Autowired;
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
 * bucket made of whole tiles ({@link M4Selection#aligned}). It keeps those records whole
 * too (what a history response sends of them) when they are short, so that the records a
 * chart chooses from tiles need no lookup.
 * <p>
 * A tile is complete once a record lies beyond it: steps only move forward, so only a cut
 * (a resume, a state PUT, an attempt's restart, a deletion) changes it, and every cut
 * deletes the tiles from where it cuts and counts itself in {@code history_cuts}. Reads
 * summarise missing tiles as they scan them and store them in a short transaction that
 * locks the scheduler's row and stores nothing if a cut came in between. A read holds a
 * page of stored tiles and a batch of new ones at once, whatever the history's length.
 */
@Component
public class HistoryTiles {

	/** Positions per tile. */
	public static final int TILE = 1024;

	/**
	 * Characters of a tile's records at most ({@link #encodeEntries}): about 1,300 per
	 * record, two param groups take about 100. Longer ones (many param groups) are not
	 * copied, and a read looks them up.
	 */
	static final int MAX_ENTRIES_CHARACTERS = 8192;

	/** Summaries stored per transaction. */
	static final int STORE_BATCH = 256;

	/** Stored summaries read per query. */
	static final int PAGE_TILES = 256;

	/** A cut's deletion of the tiles it changes ({@code scheduler_id}, first tile). */
	static final String CUT_TILES = "delete from scheduler_step_tile where scheduler_id = ? and tile >= ?";

	/** A cut's count ({@code id}). */
	static final String COUNT_CUT = "update scheduler set history_cuts = history_cuts + 1 where id = ?";

	private static final String CUTS = "select history_cuts from scheduler where id = ?";

	private static final String TILES = "select tile, records, candidates, entries from scheduler_step_tile"
			+ " where scheduler_id = ? and tile >= ? and tile <= ?"
			// both columns of the primary key: read in order, stopping after the page
			+ " order by scheduler_id, tile fetch first ? rows only";

	private static final String INSERT = "insert into scheduler_step_tile (scheduler_id, tile, records, candidates,"
			+ " entries) select ?, ?, ?, ?, ? where not exists"
			+ " (select 1 from scheduler_step_tile where scheduler_id = ? and tile = ?)";

	private final JdbcClient jdbc;

	private final HistoryRows rows;

	private final TransactionTemplate transactions;

	private final int pageTiles;

	@Autowired
	HistoryTiles(JdbcClient jdbc, HistoryRows rows, PlatformTransactionManager transactionManager) {
		this(jdbc, rows, transactionManager, PAGE_TILES);
	}

	HistoryTiles(JdbcClient jdbc, HistoryRows rows, PlatformTransactionManager transactionManager, int pageTiles) {
		this.jdbc = jdbc;
		this.rows = rows;
		this.transactions = new TransactionTemplate(transactionManager);
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.pageTiles = pageTiles;
	}

	/** The tile of a position. */
	static long tileOf(double position) {
		return (long) Math.floor(position / TILE);
	}

	/**
	 * Hands the curve from {@code first} to {@code last} (positions of records) to
	 * {@code each} in position order: the records of the first and last tile, and of
	 * every tile between them without a summary (which it summarises and stores), and the
	 * summaries' records of the others (whole where the tile holds them).
	 * @return how many records the range holds
	 */
	long scan(long pk, double first, double last, int groupsLength, Curve each) {
		long firstTile = tileOf(first);
		long lastTile = tileOf(last);
		if (lastTile - firstTile < 2) {
			return this.rows.scanEntries(pk, first, last, groupsLength, each::accept);
		}
		Summarising summarising = new Summarising(pk, cuts(pk), groupsLength, each);
		long records = this.rows.scanEntries(pk, first, Math.nextDown((firstTile + 1) * (double) TILE), groupsLength,
				each::accept);
		long tile = firstTile + 1;
		while (tile < lastTile) {
			List<Summary> page = stored(pk, tile, lastTile - 1);
			for (Summary summary : page) {
				records += summarising.tiles(tile, summary.tile());
				summary.candidates().forEach(each::accept);
				records += summary.records();
				tile = summary.tile() + 1;
			}
			long end = (page.size() < this.pageTiles) ? lastTile : tile;
			records += summarising.tiles(tile, end);
			tile = end;
		}
		summarising.store();
		return records + this.rows.scanEntries(pk, lastTile * (double) TILE, last, groupsLength, each::accept);
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

	/** The stored summaries from tile {@code from} to {@code to}, a page of them. */
	private List<Summary> stored(long pk, long from, long to) {
		return this.jdbc.sql(TILES)
			.params(pk, from, to, this.pageTiles)
			.query((rs, row) -> new Summary(rs.getLong(1), rs.getLong(2), decode(rs.getString(3), rs.getString(4))))
			.list();
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
					.params(pk, summary.tile(), summary.records(), encode(summary.candidates()),
							encodeEntries(summary.candidates()), pk, summary.tile())
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

	/**
	 * The candidates' records as text, in their order, without what {@link #encode}
	 * holds: {@code seconds,nanos,consumed,attempt length,groups length:attempt groups}
	 * each (an absent value empty; the lengths delimit the strings, which may hold any
	 * character); {@code null} when a record is not known or they are longer than
	 * {@value #MAX_ENTRIES_CHARACTERS} characters.
	 */
	static @Nullable String encodeEntries(List<Point> candidates) {
		StringBuilder text = new StringBuilder();
		for (Point point : candidates) {
			HistoryEntry entry = point.entry();
			if (entry == null) {
				return null;
			}
			String attempt = entry.attempt();
			text.append(entry.recordedAt().getEpochSecond())
				.append(',')
				.append(entry.recordedAt().getNano())
				.append(',')
				.append((entry.consumed() != null) ? entry.consumed().toString() : "")
				.append(',')
				.append((attempt != null) ? Integer.toString(attempt.length()) : "")
				.append(',')
				.append(entry.paramGroupsJson().length())
				.append(':');
			if (text.length() + ((attempt != null) ? attempt.length() : 0)
					+ entry.paramGroupsJson().length() > MAX_ENTRIES_CHARACTERS) {
				return null;
			}
			if (attempt != null) {
				text.append(attempt);
			}
			text.append(entry.paramGroupsJson());
		}
		return text.toString();
	}

	/**
	 * The candidates of {@link #encode}, with their records where {@code entries} has
	 * them.
	 */
	static List<Point> decode(String candidates, @Nullable String entries) {
		List<Point> points = new ArrayList<>();
		int at = 0;
		for (String point : candidates.split(";")) {
			String[] values = point.split(",", -1);
			double position = Double.parseDouble(values[0]);
			Double metric = values[2].isEmpty() ? null : Double.valueOf(values[2]);
			HistoryEntry entry = null;
			if (entries != null) {
				String[] fields = new String[5];
				for (int field = 0; field < fields.length; field++) {
					int end = entries.indexOf((field < fields.length - 1) ? ',' : ':', at);
					fields[field] = entries.substring(at, end);
					at = end + 1;
				}
				String attempt = null;
				if (!fields[3].isEmpty()) {
					attempt = entries.substring(at, at + Integer.parseInt(fields[3]));
					at += attempt.length();
				}
				String groups = entries.substring(at, at + Integer.parseInt(fields[4]));
				at += groups.length();
				// last_epoch is floor(position); the history response does not send it
				entry = new HistoryEntry((long) Math.floor(position), position, metric, groups,
						Instant.ofEpochSecond(Long.parseLong(fields[0]), Long.parseLong(fields[1])), attempt,
						fields[2].isEmpty() ? null : Long.valueOf(fields[2]));
			}
			points.add(new Point(position, Double.parseDouble(values[1]), metric, entry));
		}
		return points;
	}

	/**
	 * A record of a curve, and the record whole where it is known.
	 *
	 * @param position the record's position
	 * @param lr its first param group's lr
	 * @param metric its metric
	 * @param entry the record whole, {@code null} when it must be looked up
	 */
	record Point(double position, double lr, @Nullable Double metric, @Nullable HistoryEntry entry) {

		Point(double position, double lr, @Nullable Double metric) {
			this(position, lr, metric, null);
		}

		Point(double lr, HistoryEntry entry) {
			this(entry.position(), lr, entry.metric(), entry);
		}

	}

	/** A complete tile: how many records it holds and the ones M4 keeps of it. */
	record Summary(long tile, long records, List<Point> candidates) {
	}

	/** What a scan hands on of each record of a curve, in position order. */
	@FunctionalInterface
	interface Curve {

		void accept(Point point);

		/** A record read whole. */
		default void accept(double firstLr, HistoryEntry entry) {
			accept(new Point(firstLr, entry));
		}

	}

	/**
	 * Scans runs of tiles without a summary, passes their records on, summarises them
	 * tile by tile and stores the summaries a batch at a time.
	 */
	private final class Summarising implements HistoryRows.Entries {

		private final long pk;

		private final long cuts;

		private final int groupsLength;

		private final Curve each;

		private final List<Summary> summaries = new ArrayList<>();

		private long tile = Long.MIN_VALUE;

		private long records;

		private @Nullable M4Selection<Point> selection;

		Summarising(long pk, long cuts, int groupsLength, Curve each) {
			this.pk = pk;
			this.cuts = cuts;
			this.groupsLength = groupsLength;
			this.each = each;
		}

		/**
		 * Scans and summarises the tiles from {@code from} to {@code to} (exclusive).
		 * @return how many records they hold
		 */
		long tiles(long from, long to) {
			if (from >= to) {
				return 0;
			}
			long scanned = HistoryTiles.this.rows.scanEntries(this.pk, from * (double) TILE,
					Math.nextDown(to * (double) TILE), this.groupsLength, this);
			close();
			if (this.summaries.size() >= STORE_BATCH) {
				store();
			}
			return scanned;
		}

		@Override
		public void accept(double firstLr, HistoryEntry entry) {
			Point point = new Point(firstLr, entry);
			this.each.accept(point);
			long of = tileOf(point.position());
			if (of != this.tile) {
				close();
				this.tile = of;
				this.selection = M4Selection.aligned(of * (double) TILE, TILE, 1);
			}
			this.records++;
			this.selection.add(point.position(), point.lr(), point.metric(), point);
		}

		private void close() {
			if (this.selection != null) {
				List<Point> candidates = this.selection.selected();
				if (encodeEntries(candidates) == null) {
					// too long to keep: held until stored, they would not be bounded
					candidates = candidates.stream()
						.map((point) -> new Point(point.position(), point.lr(), point.metric()))
						.toList();
				}
				this.summaries.add(new Summary(this.tile, this.records, candidates));
			}
			this.selection = null;
			this.tile = Long.MIN_VALUE;
			this.records = 0;
		}

		void store() {
			HistoryTiles.this.store(this.pk, this.cuts, this.summaries);
			this.summaries.clear();
		}

	}

}
