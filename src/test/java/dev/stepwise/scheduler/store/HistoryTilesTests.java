package dev.stepwise.scheduler.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import dev.stepwise.scheduler.HistoryEntry;
import dev.stepwise.scheduler.M4Selection;
import dev.stepwise.scheduler.store.HistoryTiles.Point;
import dev.stepwise.system.FatalErrors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tiles of a history's curve on the configured database: summarised and stored by the
 * first scan, read in place of their records by the next, deleted and counted by every
 * cut, never stored over a cut. Committed for real (a tile is stored in a transaction of
 * its own), and deleted after each test.
 */
@StoreTest
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class HistoryTilesTests {

	private static final int RECORDS = 5_000;

	@Autowired
	private SchedulerRepository schedulers;

	@Autowired
	private DataSource dataSource;

	@Autowired
	private PlatformTransactionManager transactionManager;

	private JdbcClient jdbc;

	private HistoryTiles tiles;

	private long pk;

	private final List<Long> created = new ArrayList<>();

	@BeforeEach
	void history() {
		this.jdbc = JdbcClient.create(this.dataSource);
		this.tiles = tiles(HistoryTiles.PAGE_TILES);
		this.pk = history("");
	}

	/**
	 * A scheduler with {@value #RECORDS} records of a cosine lr with noise, param groups
	 * of {@code padding} more characters, an attempt and consumed units on some.
	 */
	private long history(String padding) {
		Snapshot start = new Snapshot(0, 0, "{}", "[{\"lr\":0.1}]");
		long scheduler = this.schedulers
			.save(new SchedulerEntity("tiles-" + UUID.randomUUID(),
					new Registered("StepLR", "{}", "{}", "[{\"lr\":0.1}]"), start, now()))
			.getId();
		this.created.add(scheduler);
		append(scheduler, 1, RECORDS, padding);
		return scheduler;
	}

	/**
	 * Appends the records of epochs {@code from} to {@code to} to a scheduler's history
	 * and moves the scheduler to the last one, as the steps would.
	 */
	private void append(long scheduler, int from, int to, String padding) {
		Random random = new Random(3 + from);
		List<SchedulerStepRows.Recorded> records = new ArrayList<>();
		for (int epoch = from; epoch <= to; epoch++) {
			double lr = 0.05 * (1 + Math.cos(Math.PI * epoch / RECORDS)) + random.nextGaussian() * 0.001;
			Double metric = (epoch % 7 == 0) ? null : 1.0 / epoch + random.nextGaussian() * 0.01;
			// the characters that delimit a tile's text, in an attempt's id
			String attempt = (epoch % 5 == 0) ? "job,1;x:" + (epoch / 1000) + "/é" : null;
			Long consumed = (epoch % 3 == 0) ? epoch * 4096L : null;
			records.add(new SchedulerStepRows.Recorded(scheduler,
					new Snapshot(epoch, epoch, "{}", "[{\"lr\":" + lr + ",\"name\":\"" + padding + "\"}]", consumed),
					metric, now(), attempt));
		}
		BatchStatements.run(new JdbcTemplate(this.dataSource), (statements) -> {
			new SchedulerStepRows().insert(statements, records);
			return true;
		});
		this.jdbc.sql("update scheduler set last_epoch = ?, position = ?, updated_at = ? where id = ?")
			.params(to, to, BatchStatements.timestamp(now()), scheduler)
			.update();
	}

	private HistoryTiles tiles(int pageTiles) {
		return new HistoryTiles(this.jdbc, new HistoryRows(this.jdbc), this.transactionManager, pageTiles);
	}

	@AfterEach
	void delete() {
		for (long scheduler : this.created) {
			this.jdbc.sql("delete from scheduler_step_tile where scheduler_id = ?").param(scheduler).update();
			this.jdbc.sql("delete from scheduler_step where scheduler_id = ?").param(scheduler).update();
			this.schedulers.deleteById(scheduler);
		}
	}

	@Test
	void theFirstScanStoresTheInnerTilesAndTheNextReadsThem() {
		List<Point> records = new ArrayList<>();
		long scanned = this.tiles.scan(this.pk, 1, RECORDS, 20, records::add);
		assertThat(scanned).isEqualTo(RECORDS);
		assertThat(records).hasSize(RECORDS).extracting(Point::position).isSorted();
		// tile 0 and tile 4 are the range's ends, read from the records every time
		assertThat(storedTiles()).containsExactly(1L, 2L, 3L);
		List<Point> again = new ArrayList<>();
		assertThat(this.tiles.scan(this.pk, 1, RECORDS, 20, again::add)).isEqualTo(RECORDS);
		// the summaries stand in for the inner tiles' records and select the same
		assertThat(again).hasSizeLessThan(2 * 1024 + 3 * M4Selection.PER_BUCKET);
		assertThat(select(again, 2)).isEqualTo(select(records, 2)).hasSizeGreaterThan(6);
		// a record changed behind the tiles' back is not seen: the summary is what is
		// read
		this.jdbc.sql(
				"update scheduler_step set param_groups_json = '[{\"lr\":99}]' where scheduler_id = ? and position = 2500")
			.param(this.pk)
			.update();
		List<Point> summarised = new ArrayList<>();
		this.tiles.scan(this.pk, 1, RECORDS, 20, summarised::add);
		assertThat(summarised).extracting(Point::lr).doesNotContain(99.0);
	}

	@Test
	void aCutDeletesTheTilesItChangesAndCountsItself() {
		this.tiles.scan(this.pk, 1, RECORDS, 20, (point) -> {
		});
		long cuts = cuts();
		this.tiles.cut(this.pk, 2_500);
		assertThat(storedTiles()).containsExactly(1L);
		assertThat(cuts()).isEqualTo(cuts + 1);
		// the steps' own cut too
		BatchStatements.run(new JdbcTemplate(this.dataSource), (statements) -> {
			new SchedulerStepRows().cut(statements, this.pk, 1_100);
			return true;
		});
		assertThat(storedTiles()).isEmpty();
		assertThat(cuts()).isEqualTo(cuts + 2);
	}

	@Test
	void summariesOfRecordsACutDeletedAreNotStored() {
		long before = cuts();
		this.tiles.cut(this.pk, RECORDS);
		this.tiles.store(this.pk, before, List.of(new HistoryTiles.Summary(1, 1, List.of(new Point(1024, 0.1, null)))));
		assertThat(storedTiles()).isEmpty();
		this.tiles.store(this.pk, cuts(), List.of(new HistoryTiles.Summary(1, 1, List.of(new Point(1024, 0.1, null)))));
		assertThat(storedTiles()).containsExactly(1L);
	}

	@Test
	void summariesKeepNonFiniteValuesAndMissingMetrics() {
		List<Point> points = List.of(new Point(1024, Double.NaN, null),
				new Point(1030.5, 0.1, Double.NEGATIVE_INFINITY), new Point(2047, Double.POSITIVE_INFINITY, 1e-300));
		assertThat(HistoryTiles.decode(HistoryTiles.encode(points), null)).isEqualTo(points);
	}

	@Test
	void summariesKeepTheirRecordsWholeWhenShort() {
		Instant at = Instant.parse("2026-11-27T07:01:02.123456Z");
		List<Point> points = List.of(
				new Point(0.1, new HistoryEntry(1024, 1024, null, "[{\"lr\":0.1}]", at, "a,b;c:2", 4096L)),
				new Point(Double.NaN,
						new HistoryEntry(1030, 1030.5, Double.NaN, "[{\"lr\":\"NaN\",\"n\":\"x;1,2:\"}]", at, null,
								null)),
				new Point(0.2, new HistoryEntry(2047, 2047, 0.5, "[]", at.plusNanos(1), "", null)));
		String entries = HistoryTiles.encodeEntries(points);
		assertThat(HistoryTiles.decode(HistoryTiles.encode(points), entries)).isEqualTo(points);
		// a record not known, or records too long, are not kept
		List<Point> unknown = List.of(points.get(0), new Point(2040, 0.1, null));
		assertThat(HistoryTiles.encodeEntries(unknown)).isNull();
		String groups = "[{\"lr\":0.1,\"name\":\"" + "x".repeat(HistoryTiles.MAX_ENTRIES_CHARACTERS) + "\"}]";
		assertThat(HistoryTiles.encodeEntries(List.of(new Point(0.1, new HistoryEntry(1024, 1024, null, groups, at)))))
			.isNull();
	}

	@Test
	void theInnerTilesHandOnTheirRecordsWholeWithoutReadingThem() {
		Map<Double, HistoryEntry> scanned = new HashMap<>();
		this.tiles.scan(this.pk, 1, RECORDS, 20, (point) -> scanned.put(point.position(), point.entry()));
		assertThat(scanned).hasSize(RECORDS).doesNotContainValue(null);
		// the records of the inner tiles are gone: the tiles answer for them alone
		int deleted = this.jdbc
			.sql("delete from scheduler_step where scheduler_id = ? and position >= ? and position < ?")
			.params(this.pk, HistoryTiles.TILE, 4 * HistoryTiles.TILE)
			.update();
		assertThat(deleted).isEqualTo(3 * HistoryTiles.TILE);
		List<Point> again = new ArrayList<>();
		assertThat(this.tiles.scan(this.pk, 1, RECORDS, 20, again::add)).isEqualTo(RECORDS);
		List<Point> inner = again.stream()
			.filter((point) -> HistoryTiles.tileOf(point.position()) >= 1 && HistoryTiles.tileOf(point.position()) <= 3)
			.toList();
		assertThat(inner).hasSizeBetween(3 * 2, 3 * M4Selection.PER_BUCKET)
			.allSatisfy((point) -> assertThat(point.entry()).isEqualTo(scanned.get(point.position())));
		// tile 3's first and last records, with consumed units and an attempt
		assertThat(inner).filteredOn((point) -> point.position() == 3072)
			.singleElement()
			.satisfies((point) -> assertThat(point.entry().consumed()).isEqualTo(3072 * 4096L));
		assertThat(inner).filteredOn((point) -> point.position() == 4095)
			.singleElement()
			.satisfies((point) -> assertThat(point.entry().attempt()).isEqualTo("job,1;x:4/é"));
	}

	@Test
	void longRecordsAreNotCopiedIntoTheTilesAndAreLeftToALookup() {
		long longer = history("x".repeat(HistoryTiles.MAX_ENTRIES_CHARACTERS / 4));
		List<Point> records = new ArrayList<>();
		this.tiles.scan(longer, 1, RECORDS, 20_000, records::add);
		assertThat(this.jdbc.sql("select count(*) from scheduler_step_tile where scheduler_id = ? and entries is null")
			.param(longer)
			.query(Long.class)
			.single()).isEqualTo(3);
		List<Point> again = new ArrayList<>();
		this.tiles.scan(longer, 1, RECORDS, 20_000, again::add);
		assertThat(again).filteredOn((point) -> HistoryTiles.tileOf(point.position()) == 2)
			.isNotEmpty()
			.allSatisfy((point) -> assertThat(point.entry()).isNull());
		assertThat(positions(select(again, 2))).isEqualTo(positions(select(records, 2)));
		// the short records of the other scheduler are copied
		this.tiles.scan(this.pk, 1, RECORDS, 20, (point) -> {
		});
		assertThat(
				this.jdbc.sql("select count(*) from scheduler_step_tile where scheduler_id = ? and entries is not null")
					.param(this.pk)
					.query(Long.class)
					.single())
			.isEqualTo(3);
	}

	@Test
	void storedTilesAreReadInPagesAsInOneQuery() {
		// tiles 1 and 3 stored; 2 missing, between pages or within one
		this.tiles.scan(this.pk, 1, RECORDS, 20, (point) -> {
		});
		for (int pageTiles : new int[] { 1, 2, 3 }) {
			List<Point> paged = new ArrayList<>();
			List<Point> unpaged = new ArrayList<>();
			this.tiles.cut(this.pk, Double.NEGATIVE_INFINITY);
			// all missing, then some
			long pagedRecords = tiles(pageTiles).scan(this.pk, 1, RECORDS, 20, paged::add);
			this.tiles.cut(this.pk, Double.NEGATIVE_INFINITY);
			long unpagedRecords = this.tiles.scan(this.pk, 1, RECORDS, 20, unpaged::add);
			assertThat(paged).hasSize(RECORDS).isEqualTo(unpaged);
			assertThat(pagedRecords).isEqualTo(unpagedRecords).isEqualTo(RECORDS);
			deleteTile(2);
			paged.clear();
			unpaged.clear();
			tiles(pageTiles).scan(this.pk, 1, RECORDS, 20, paged::add);
			deleteTile(2);
			this.tiles.scan(this.pk, 1, RECORDS, 20, unpaged::add);
			assertThat(paged).isEqualTo(unpaged).hasSizeLessThan(RECORDS - HistoryTiles.TILE);
			assertThat(storedTiles()).containsExactly(1L, 2L, 3L);
		}
	}

	@Test
	void theBackfillSummarisesTheHistoriesThatOutgrewTheirTiles() {
		long longer = this.schedulers
			.save(new SchedulerEntity("tiles-" + UUID.randomUUID(),
					new Registered("StepLR", "{}", "{}", "[{\"lr\":0.1}]"), new Snapshot(0, 0, "{}", "[{\"lr\":0.1}]"),
					now()))
			.getId();
		this.created.add(longer);
		append(longer, 1, 12_000, "");
		// three tiles per scan: the scans' ends leave no tile out
		TileBackfill backfill = new TileBackfill(this.jdbc, new HistoryRows(this.jdbc), this.tiles,
				new FatalErrors((status) -> {
				}), 3);
		assertThat(backfill.sweep(System.nanoTime()).complete()).as("past its deadline").isFalse();
		assertThat(storedTiles(longer)).isEmpty();
		TileBackfill.Sweep sweep = backfill.sweep(System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
		assertThat(sweep.complete()).isTrue();
		assertThat(sweep.tiles()).isGreaterThanOrEqualTo(10);
		// 5,000 records: three inner tiles, which a read takes from the records at once
		assertThat(storedTiles()).isEmpty();
		// tiles 0 and 11 are the history's ends
		assertThat(storedTiles(longer)).containsExactlyElementsOf(range(1, 10));
		// fewer than eight new complete tiles: left to the reads
		append(longer, 12_001, 12_000 + 7 * HistoryTiles.TILE, "");
		backfill.sweep(System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
		assertThat(storedTiles(longer)).containsExactlyElementsOf(range(1, 10));
		append(longer, 12_001 + 7 * HistoryTiles.TILE, 12_000 + 9 * HistoryTiles.TILE, "");
		backfill.sweep(System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
		assertThat(storedTiles(longer)).containsExactlyElementsOf(range(1, 19));
		// the same curve as the records'
		List<Point> summarised = new ArrayList<>();
		this.tiles.scan(longer, 1, 12_000 + 9 * HistoryTiles.TILE, 20, summarised::add);
		this.jdbc.sql("delete from scheduler_step_tile where scheduler_id = ?").param(longer).update();
		List<Point> records = new ArrayList<>();
		this.tiles.scan(longer, 1, 12_000 + 9 * HistoryTiles.TILE, 20, records::add);
		assertThat(positions(select(summarised, 2))).isEqualTo(positions(select(records, 2)));
		// not updated since the last sweep (beyond the clocks' slack): not looked at
		this.jdbc.sql("delete from scheduler_step_tile where scheduler_id = ?").param(longer).update();
		this.jdbc.sql("update scheduler set updated_at = ? where id = ?")
			.params(BatchStatements.timestamp(now().minus(TileBackfill.CLOCK_SLACK.multipliedBy(2))), longer)
			.update();
		backfill.sweep(System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
		assertThat(storedTiles(longer)).isEmpty();
	}

	private static List<Long> range(long first, long last) {
		return LongStream.rangeClosed(first, last).boxed().toList();
	}

	private void deleteTile(long tile) {
		this.jdbc.sql("delete from scheduler_step_tile where scheduler_id = ? and tile = ?")
			.params(this.pk, tile)
			.update();
	}

	private static List<Double> positions(List<Point> points) {
		return points.stream().map(Point::position).toList();
	}

	/** The aligned M4 selection of buckets of {@code tilesPerBucket} tiles. */
	private static List<Point> select(List<Point> records, int tilesPerBucket) {
		double last = records.get(records.size() - 1).position();
		M4Selection<Point> selection = M4Selection.aligned(0, tilesPerBucket * HistoryTiles.TILE,
				(int) (last / (tilesPerBucket * HistoryTiles.TILE)) + 1);
		records.forEach((point) -> selection.add(point.position(), point.lr(), point.metric(), point));
		return selection.selected();
	}

	private List<Long> storedTiles() {
		return storedTiles(this.pk);
	}

	private List<Long> storedTiles(long scheduler) {
		return this.jdbc.sql("select tile from scheduler_step_tile where scheduler_id = ? order by tile")
			.param(scheduler)
			.query(Long.class)
			.list();
	}

	private long cuts() {
		return this.jdbc.sql("select history_cuts from scheduler where id = ?")
			.param(this.pk)
			.query(Long.class)
			.single();
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

}
