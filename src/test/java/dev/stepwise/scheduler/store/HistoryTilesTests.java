package dev.stepwise.scheduler.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import javax.sql.DataSource;

import dev.stepwise.scheduler.M4Selection;
import dev.stepwise.scheduler.store.HistoryTiles.Point;
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

	@BeforeEach
	void history() {
		this.jdbc = JdbcClient.create(this.dataSource);
		this.tiles = new HistoryTiles(this.jdbc, new HistoryRows(this.jdbc), this.transactionManager);
		Snapshot start = new Snapshot(0, 0, "{}", "[{\"lr\":0.1}]");
		this.pk = this.schedulers
			.save(new SchedulerEntity("tiles-" + UUID.randomUUID(),
					new Registered("StepLR", "{}", "{}", "[{\"lr\":0.1}]"), start, now()))
			.getId();
		Random random = new Random(3);
		List<SchedulerStepRows.Recorded> records = new ArrayList<>();
		for (int epoch = 1; epoch <= RECORDS; epoch++) {
			double lr = 0.05 * (1 + Math.cos(Math.PI * epoch / RECORDS)) + random.nextGaussian() * 0.001;
			Double metric = (epoch % 7 == 0) ? null : 1.0 / epoch + random.nextGaussian() * 0.01;
			records.add(new SchedulerStepRows.Recorded(this.pk,
					new Snapshot(epoch, epoch, "{}", "[{\"lr\":" + lr + "}]"), metric, now()));
		}
		BatchStatements.run(new JdbcTemplate(this.dataSource), (statements) -> {
			new SchedulerStepRows().insert(statements, records);
			return true;
		});
	}

	@AfterEach
	void delete() {
		this.jdbc.sql("delete from scheduler_step_tile where scheduler_id = ?").param(this.pk).update();
		this.jdbc.sql("delete from scheduler_step where scheduler_id = ?").param(this.pk).update();
		this.schedulers.deleteById(this.pk);
	}

	@Test
	void theFirstScanStoresTheInnerTilesAndTheNextReadsThem() {
		List<Point> records = new ArrayList<>();
		long scanned = this.tiles.scan(this.pk, 1, RECORDS, 20,
				(position, lr, metric) -> records.add(new Point(position, lr, metric)));
		assertThat(scanned).isEqualTo(RECORDS);
		assertThat(records).hasSize(RECORDS).extracting(Point::position).isSorted();
		// tile 0 and tile 4 are the range's ends, read from the records every time
		assertThat(storedTiles()).containsExactly(1L, 2L, 3L);
		List<Point> again = new ArrayList<>();
		assertThat(this.tiles.scan(this.pk, 1, RECORDS, 20,
				(position, lr, metric) -> again.add(new Point(position, lr, metric))))
			.isEqualTo(RECORDS);
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
		this.tiles.scan(this.pk, 1, RECORDS, 20,
				(position, lr, metric) -> summarised.add(new Point(position, lr, metric)));
		assertThat(summarised).extracting(Point::lr).doesNotContain(99.0);
	}

	@Test
	void aCutDeletesTheTilesItChangesAndCountsItself() {
		this.tiles.scan(this.pk, 1, RECORDS, 20, (position, lr, metric) -> {
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
		assertThat(HistoryTiles.decode(HistoryTiles.encode(points))).isEqualTo(points);
	}

	/** The aligned M4 selection of buckets of {@code tilesPerBucket} tiles. */
	private static List<Point> select(List<Point> records, int tilesPerBucket) {
		M4Selection<Point> selection = M4Selection.aligned(0, tilesPerBucket * HistoryTiles.TILE,
				(RECORDS / (tilesPerBucket * HistoryTiles.TILE)) + 1);
		records.forEach((point) -> selection.add(point.position(), point.lr(), point.metric(), point));
		return selection.selected();
	}

	private List<Long> storedTiles() {
		return this.jdbc.sql("select tile from scheduler_step_tile where scheduler_id = ? order by tile")
			.param(this.pk)
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
