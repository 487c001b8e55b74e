package dev.stepwise.scheduler.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.stepwise.system.FatalErrors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Summarises the complete tiles of long histories in the background, so that the first
 * chart of a long job reads about a thousand summaries instead of every record (a
 * never-charted job of 1,000,000 steps took 3 to 5 s to summarise on its first read).
 * Every {@value #PERIOD_SECONDS} s it looks at the schedulers updated since its last
 * sweep, and summarises the tiles of those with at least {@value #MIN_MISSING_TILES}
 * complete tiles after their last stored one, through the same {@link HistoryTiles#scan}
 * a read does (bounded memory, nothing stored over a cut). A sweep stops after
 * {@link #BUDGET}, and the next one goes on where it stopped as long after. Off with
 * {@code stepwise.history.background-tiling=false}.
 */
@Component
@ConditionalOnBooleanProperty(name = "stepwise.history.background-tiling", matchIfMissing = true)
public class TileBackfill implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(TileBackfill.class);

	/** Sweeps start this long after the previous one ended. */
	static final long PERIOD_SECONDS = 30;

	/** The first sweep waits this long: the startup and the dashboard's warm-up first. */
	static final long FIRST_DELAY_SECONDS = 10;

	/**
	 * Complete tiles without a summary that make a history worth summarising: fewer are
	 * read as records by the chart in tens of milliseconds.
	 */
	static final int MIN_MISSING_TILES = 8;

	/**
	 * A sweep's work at most, so that it never holds a core for long; after an unfinished
	 * sweep the next one starts as long after.
	 */
	static final Duration BUDGET = Duration.ofSeconds(5);

	/** Tiles summarised per scan: 0.6 s on the 2-core benchmark machine. */
	static final int CHUNK_TILES = 128;

	/**
	 * How far back a sweep looks before the previous one began: other replicas' clocks.
	 */
	static final Duration CLOCK_SLACK = Duration.ofMinutes(1);

	private static final String CANDIDATES = "select s.id, s.position, length(s.param_groups_json) groups_length,"
			+ " (select max(t.tile) from scheduler_step_tile t where t.scheduler_id = s.id) tiled"
			+ " from scheduler s where s.updated_at >= ? and s.position >= ?";

	private final JdbcClient jdbc;

	private final HistoryRows rows;

	private final HistoryTiles tiles;

	private @Nullable ScheduledExecutorService executor;

	/** Schedulers updated before this were summarised by an earlier sweep. */
	private Instant since = Instant.EPOCH;

	private final int chunkTiles;

	private final FatalErrors fatal;

	@Autowired
	TileBackfill(JdbcClient jdbc, HistoryRows rows, HistoryTiles tiles, FatalErrors fatal) {
		this(jdbc, rows, tiles, fatal, CHUNK_TILES);
	}

	TileBackfill(JdbcClient jdbc, HistoryRows rows, HistoryTiles tiles, FatalErrors fatal, int chunkTiles) {
		this.jdbc = jdbc;
		this.rows = rows;
		this.tiles = tiles;
		this.fatal = fatal;
		this.chunkTiles = chunkTiles;
	}

	/** A history with complete tiles to summarise. */
	private record Candidate(long pk, double position, int groupsLength, @Nullable Long tiled) {
	}

	/** What a sweep did. */
	record Sweep(int histories, long tiles, boolean complete) {
	}

	/**
	 * Summarises the histories updated since the last complete sweep, until
	 * {@code deadline} ({@link System#nanoTime}).
	 */
	Sweep sweep(long deadline) {
		Instant started = Instant.now();
		List<Candidate> candidates = this.jdbc.sql(CANDIDATES)
			.params(BatchStatements.timestamp(this.since), (MIN_MISSING_TILES + 1) * (double) HistoryTiles.TILE)
			.query((rs, row) -> new Candidate(rs.getLong(1), rs.getDouble(2), rs.getInt(3),
					(rs.getObject(4) != null) ? rs.getLong(4) : null))
			.list();
		int histories = 0;
		long summarised = 0;
		for (Candidate candidate : candidates) {
			if (System.nanoTime() - deadline >= 0) {
				return new Sweep(histories, summarised, false);
			}
			long added = summarise(candidate, deadline);
			if (added > 0) {
				histories++;
				summarised += added;
			}
		}
		if (System.nanoTime() - deadline >= 0) {
			// the last history may be unfinished: the next sweep looks at it again
			return new Sweep(histories, summarised, false);
		}
		this.since = started.minus(CLOCK_SLACK);
		return new Sweep(histories, summarised, true);
	}

	/**
	 * Summarises a history's tiles after its last stored one, {@value #CHUNK_TILES} at a
	 * time until {@code deadline}; how many.
	 */
	private long summarise(Candidate candidate, long deadline) {
		Double from;
		if (candidate.tiled() != null) {
			// the last stored tile is read as records, those after it are summarised
			from = candidate.tiled() * (double) HistoryTiles.TILE;
		}
		else {
			from = this.rows.positionAfter(candidate.pk(), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0);
		}
		Double last = (from != null) ? this.rows.lastPosition(candidate.pk(), from, Double.POSITIVE_INFINITY) : null;
		if (from == null || last == null) {
			return 0;
		}
		long lastTile = HistoryTiles.tileOf(last);
		long tile = HistoryTiles.tileOf(from);
		if (lastTile - tile - 1 < MIN_MISSING_TILES) {
			return 0;
		}
		long summarised = 0;
		while (lastTile - tile > 1 && System.nanoTime() - deadline < 0) {
			// a scan summarises the tiles between its first and last; the next one starts
			// just before the last, so no tile is left out
			long end = Math.min(lastTile, tile + this.chunkTiles + 1);
			double to = (end == lastTile) ? last : end * (double) HistoryTiles.TILE;
			this.tiles.scan(candidate.pk(), from, to, candidate.groupsLength(), (point) -> {
			});
			summarised += end - tile - 1;
			from = Math.nextDown(end * (double) HistoryTiles.TILE);
			tile = end - 1;
		}
		return summarised;
	}

	private void run() {
		long start = System.nanoTime();
		long delay = PERIOD_SECONDS;
		try {
			Sweep sweep = sweep(start + BUDGET.toNanos());
			if (sweep.tiles() > 0) {
				logger.info("Summarised " + sweep.tiles() + " tiles of " + sweep.histories() + " histories in "
						+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms"
						+ (sweep.complete() ? "" : "; more in the next sweep"));
			}
			if (!sweep.complete()) {
				delay = BUDGET.toSeconds();
			}
		}
		catch (RuntimeException ex) {
			if (!isRunning()) {
				return;
			}
			// the database may be unavailable for a while: the next sweep tries again
			logger.warn("Summarising history tiles failed; the next sweep retries: " + ex);
		}
		catch (Error ex) {
			// a task that throws is never scheduled again, and silently: halt on a fatal
			// error, otherwise say so and go on
			this.fatal.check(ex, "tile-backfill");
			logger.error("Summarising history tiles failed; the next sweep retries", ex);
		}
		schedule(delay);
	}

	private synchronized void schedule(long delaySeconds) {
		if (this.executor != null && !this.executor.isShutdown()) {
			this.executor.schedule(this::run, delaySeconds, TimeUnit.SECONDS);
		}
	}

	@Override
	public synchronized void start() {
		if (this.executor == null) {
			this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "tile-backfill");
				thread.setDaemon(true);
				return thread;
			});
			schedule(FIRST_DELAY_SECONDS);
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService stopping;
		synchronized (this) {
			stopping = this.executor;
			this.executor = null;
		}
		if (stopping != null) {
			stopping.shutdownNow();
			try {
				stopping.awaitTermination(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
