package dev.stepwise.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the embedded H2 file as small as the data it holds, as H2 itself does only when
 * commits are delayed. Each commit writes a new chunk of copy-on-write pages, and a chunk
 * is freed only once none of its pages is live. H2's background thread, which rewrites
 * the few live pages of old chunks and moves chunks into the holes, runs only with
 * {@code WRITE_DELAY > 0}; {@link H2DurableCommits} sets 0, so without this the file
 * grows by every byte a commit writes. Four times a second, for up to 60 ms, this
 * rewrites the live pages of sparse chunks (in small passes: the store's lock is held
 * meanwhile, and every step's commit waits for it) and moves a few chunks down so the
 * file can shrink. It also retains dead chunks for one second instead of H2's 45: the
 * file never holds more than a second of writes beyond its data. Does nothing on other
 * databases or on an H2 server.
 */
@Component
class H2Housekeeping implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(H2Housekeeping.class);

	/** Dead chunks are kept this long (H2's default is 45 s). Not 0: see H2 #2752. */
	static final int RETENTION_MILLIS = 1000;

	/** Rounds start this long after the previous one ended. */
	static final long PERIOD_MILLIS = 250;

	/** Rewrites live pages while the chunks hold less live data than this (percent). */
	private static final int CHUNKS_FILL_TARGET = 80;

	/** Moves chunks into holes while the file is used less than this (percent). */
	private static final int FILE_FILL_TARGET = 90;

	/**
	 * Under load, only chunks at most this full (percent) are rewritten. H2's own choice
	 * ({@link MVStore#compact}) takes the oldest chunks first, however full: under a
	 * burst of steps it rewrote old, nearly full chunks again and again while young ones
	 * stayed 60% dead, and more passes made the file grow faster. Taking only sparse
	 * chunks frees most of a chunk for each byte rewritten: in the soak's first 5 minutes
	 * the file held 1.6 times its live data instead of 1.9 to 2.1.
	 */
	static final int SPARSE_CHUNK_FILL = 40;

	/** Live bytes rewritten at most per pass, holding the store's lock. */
	private static final int REWRITE_BYTES = 4 * 1024 * 1024;

	/** Live bytes rewritten at most per pass while nothing else commits. */
	private static final int IDLE_REWRITE_BYTES = 32 * 1024 * 1024;

	/**
	 * Passes of rewriting go on in a round for at most this long. Each holds the store's
	 * lock, and every step's commit waits for it: 300 ms once a second kept the file as
	 * small but made the steps' p99 about 400 ms.
	 */
	private static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(60);

	/**
	 * The round's budget while the file nears the size the soak's goal allows (twice its
	 * live data plus 64 MB): early in a heavy load the file outgrew it by 7% with 60 ms,
	 * and came within 1% of it when the catch-up began at 1.8 times.
	 */
	private static final long CATCH_UP_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(150);

	/**
	 * The catch-up budget applies above this many times the live bytes plus the slack.
	 */
	private static final double CATCH_UP_RATIO = 1.5;

	private static final long CATCH_UP_SLACK_BYTES = 64L * 1024 * 1024;

	/** Chunk bytes moved at most per round, only while nothing else commits. */
	private static final long MOVE_BYTES = 16 * 1024 * 1024;

	private static final long STATS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final DataSource dataSource;

	private @Nullable ScheduledExecutorService executor;

	private long lastStats = System.nanoTime() - STATS_EVERY_NANOS;

	private boolean failing;

	/**
	 * Rewriting passes tried, and those that had the lock and rewrote, since the last
	 * stats.
	 */
	private int passes;

	private int rewrites;

	/** The store's version at the end of the last round: commits since then mean load. */
	private long lastVersion;

	private final FatalErrors fatal;

	H2Housekeeping(DataSource dataSource, FatalErrors fatal) {
		this.dataSource = dataSource;
		this.fatal = fatal;
	}

	@Override
	public synchronized void start() {
		if (this.executor == null) {
			this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "h2-housekeeping");
				thread.setDaemon(true);
				return thread;
			});
			this.executor.scheduleWithFixedDelay(this::tidy, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			try {
				this.executor.awaitTermination(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	/** One round; runs on the housekeeping thread. */
	void tidy() {
		try (Connection connection = this.dataSource.getConnection()) {
			MVStore store = embeddedStore(connection);
			if (store == null) {
				logger.debug("Not an embedded H2 database: no housekeeping");
				stopLater();
				return;
			}
			tidy(store);
			this.failing = false;
		}
		catch (SQLException | RuntimeException ex) {
			// The database may be closed (a full disk): the next round tries again.
			if (!this.failing) {
				logger.warn("H2 housekeeping failed; the next round retries", ex);
			}
			this.failing = true;
		}
		catch (Error ex) {
			// a scheduled task that throws is never run again, and silently: halt on a
			// fatal error, otherwise say so and go on with the next round
			this.fatal.check(ex, "h2-housekeeping");
			logger.error("H2 housekeeping failed; the next round retries", ex);
			this.failing = true;
		}
	}

	private void tidy(MVStore store) {
		FileStore<?> file = store.getFileStore();
		if (file == null || file.isReadOnly() || store.isClosed()) {
			return;
		}
		if (store.getRetentionTime() != RETENTION_MILLIS) {
			store.setRetentionTime(RETENTION_MILLIS);
		}
		// Nothing committed since the last round: no step waits for the lock, so passes
		// may be larger (a chunk with more live bytes than a pass takes is never
		// rewritten) and chunks may move (which holds the lock for hundreds of ms; under
		// load new chunks fill the holes, so the file does not grow meanwhile).
		boolean idle = store.getCurrentVersion() == this.lastVersion;
		// H2 waits only 10 ms for the store's lock, which steps' commits hold most of the
		// time under load: try again until the round's budget is spent. Rewritten pages
		// are written by the commit; whole dead chunks are freed once a second old.
		long until = System.nanoTime() + (nearTheLimit(file) ? CATCH_UP_BUDGET_NANOS : BUDGET_NANOS);
		while (file.getChunksFillRate() < CHUNKS_FILL_TARGET && System.nanoTime() - until < 0) {
			this.passes++;
			if (rewrite(store, idle)) {
				this.rewrites++;
				store.commit();
			}
			else {
				sleep(5);
			}
		}
		if (idle && file instanceof RandomAccessStore randomAccess && randomAccess.getFillRate() < FILE_FILL_TARGET) {
			randomAccess.compactMoveChunks(FILE_FILL_TARGET, MOVE_BYTES, store);
		}
		this.lastVersion = store.getCurrentVersion();
		if (logger.isDebugEnabled() && System.nanoTime() - this.lastStats >= STATS_EVERY_NANOS) {
			this.lastStats = System.nanoTime();
			long size = file.size();
			long live = live(file);
			logger.debug("H2 file " + size + " bytes, live " + live + " bytes (file " + file.getFillRate()
					+ "% used, chunks " + file.getChunksFillRate() + "% live); " + this.rewrites + " of " + this.passes
					+ " rewriting passes had the lock");
			this.passes = 0;
			this.rewrites = 0;
		}
	}

	/**
	 * One pass: under load the sparse chunks only; while idle, H2's choice of the chunks
	 * up to {@value #CHUNKS_FILL_TARGET}% full, with larger passes.
	 */
	private static boolean rewrite(MVStore store, boolean idle) {
		if (!idle && SparseRewrite.available()) {
			return SparseRewrite.rewrite(store, REWRITE_BYTES);
		}
		return store.compact(CHUNKS_FILL_TARGET, idle ? IDLE_REWRITE_BYTES : REWRITE_BYTES);
	}

	/**
	 * H2's count of the live bytes: the used share of the file times the chunks' fill.
	 */
	private static long live(FileStore<?> file) {
		return file.size() * file.getFillRate() / 100 * file.getChunksFillRate() / 100;
	}

	static boolean nearTheLimit(long size, long live) {
		return size > CATCH_UP_RATIO * live + CATCH_UP_SLACK_BYTES;
	}

	private static boolean nearTheLimit(FileStore<?> file) {
		return nearTheLimit(file.size(), live(file));
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	/** The MVStore behind an embedded H2 connection, or null for anything else. */
	static @Nullable MVStore embeddedStore(Connection connection) throws SQLException {
		if (!connection.isWrapperFor(JdbcConnection.class)) {
			return null;
		}
		Session session = connection.unwrap(JdbcConnection.class).getSession();
		if (!(session instanceof SessionLocal local) || !local.getDatabase().isPersistent()) {
			return null;
		}
		return local.getDatabase().getStore().getMvStore();
	}

	private void stopLater() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			executor.shutdown();
		}
	}

}
