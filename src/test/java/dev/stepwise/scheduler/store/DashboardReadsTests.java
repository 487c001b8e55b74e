package dev.stepwise.scheduler.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.stepwise.scheduler.HistoryEntry;
import dev.stepwise.scheduler.RestoreRecord;
import dev.stepwise.scheduler.SchedulerListQuery;
import dev.stepwise.scheduler.SchedulerSort;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reads of the dashboard in plain JDBC on the configured database: the list's filter,
 * sort, paging and latest metric, a history's extent and its scan in keyset pages, and
 * the restores.
 */
@StoreTest
class DashboardReadsTests {

	private static final String GROUPS = "[{\"lr\":0.1,\"momentum\":0.9}]";

	@Autowired
	private SchedulerRepository schedulers;

	@Autowired
	private SchedulerStepRepository steps;

	@Autowired
	private EntityManager entityManager;

	@Autowired
	private DataSource dataSource;

	@Test
	void theListFiltersSortsAndPagesInTheDatabase() {
		String prefix = "dash" + UUID.randomUUID().toString().substring(0, 8);
		Instant start = now();
		// registered in this order, each a second later, with last_epoch 3, 1, 2 and
		// updated in the order b, c, a
		SchedulerEntity a = register(prefix + "-a", 3, start, start.plusSeconds(30));
		SchedulerEntity b = register(prefix + "-b", 1, start.plusSeconds(1), start.plusSeconds(10));
		SchedulerEntity c = register(prefix + "-c", 2, start.plusSeconds(2), start.plusSeconds(20));
		flushAndClear();
		assertThat(ids(query(prefix, SchedulerSort.CREATED_AT, false, 0, 10))).containsExactly(c.getPublicId(),
				b.getPublicId(), a.getPublicId());
		assertThat(ids(query(prefix, SchedulerSort.ID, true, 0, 10))).containsExactly(a.getPublicId(), b.getPublicId(),
				c.getPublicId());
		assertThat(ids(query(prefix, SchedulerSort.ID, false, 0, 10))).containsExactly(c.getPublicId(), b.getPublicId(),
				a.getPublicId());
		assertThat(ids(query(prefix, SchedulerSort.UPDATED_AT, false, 0, 10))).containsExactly(a.getPublicId(),
				c.getPublicId(), b.getPublicId());
		assertThat(ids(query(prefix, SchedulerSort.LAST_EPOCH, true, 0, 10))).containsExactly(b.getPublicId(),
				c.getPublicId(), a.getPublicId());
		// pages of 2
		assertThat(ids(query(prefix, SchedulerSort.ID, true, 0, 2))).containsExactly(a.getPublicId(), b.getPublicId());
		assertThat(ids(query(prefix, SchedulerSort.ID, true, 1, 2))).containsExactly(c.getPublicId());
		assertThat(rows().count("%", query(prefix, SchedulerSort.ID, true, 1, 2))).isEqualTo(3);
		// the filter is a substring, the scope a LIKE pattern beside it
		assertThat(ids(query(prefix + "-b", SchedulerSort.ID, true, 0, 10))).containsExactly(b.getPublicId());
		assertThat(rows().page(prefix + "-c%", query(prefix, SchedulerSort.ID, true, 0, 10))).hasSize(1);
		assertThat(rows().count(prefix + "-c%", query(prefix, SchedulerSort.ID, true, 0, 10))).isEqualTo(1);
	}

	@Test
	void theFiltersWildcardsAreLiteral() {
		String prefix = "lit" + UUID.randomUUID().toString().substring(0, 8);
		SchedulerEntity underscore = register(prefix + "_x", 0, now(), now());
		register(prefix + "yx", 0, now(), now());
		flushAndClear();
		assertThat(ids(query(prefix + "_", SchedulerSort.ID, true, 0, 10))).containsExactly(underscore.getPublicId());
		assertThat(ids(query(prefix + "%", SchedulerSort.ID, true, 0, 10))).isEmpty();
	}

	@Test
	void eachRowHasTheMetricOfItsLatestRecord() {
		String prefix = "metric" + UUID.randomUUID().toString().substring(0, 8);
		SchedulerEntity stepped = register(prefix + "-stepped", 2, now(), now());
		append(stepped, 1, 1.0, 0.7);
		append(stepped, 2, 2.0, 0.5);
		SchedulerEntity restored = register(prefix + "-restored", 2, now(), now());
		append(restored, 1, 1.0, 0.7);
		append(restored, 2, 2.0, null);
		SchedulerEntity fresh = register(prefix + "-fresh", 0, now(), now());
		flushAndClear();
		List<SchedulerListRows.Row> page = rows().page("%", query(prefix, SchedulerSort.ID, true, 0, 10));
		assertThat(page).extracting((row) -> row.details().position().id())
			.containsExactly(fresh.getPublicId(), restored.getPublicId(), stepped.getPublicId());
		assertThat(page).extracting(SchedulerListRows.Row::lastMetric).containsExactly(null, null, 0.5);
		assertThat(page.get(2).details().specJson()).isEqualTo(stepped.getSpecJson());
		assertThat(page.get(2).details().position().paramGroupsJson()).isEqualTo(GROUPS);
		assertThat(page.get(2).details().createdAt()).isEqualTo(stepped.getCreatedAt());
	}

	@Test
	void aHistoryIsScannedInOrderAcrossPages() {
		SchedulerEntity scheduler = register("scan-" + UUID.randomUUID(), 0, now(), now());
		for (int epoch = 1; epoch <= 40; epoch++) {
			append(scheduler, epoch, epoch, (epoch % 3 == 0) ? null : 1.0 / epoch);
		}
		append(scheduler, 40, 40.5, null);
		flushAndClear();
		HistoryRows history = new HistoryRows(JdbcClient.create(this.dataSource));
		assertThat(history.lastPosition(scheduler.getId(), 2, 39.9)).isEqualTo(39.0);
		assertThat(history.lastPosition(scheduler.getId(), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY))
			.isEqualTo(40.5);
		assertThat(history.lastPosition(scheduler.getId(), 100, 200)).isNull();
		// param groups of 100,000 characters: pages of 16 rows
		assertThat(HistoryRows.pageRows(100_000)).isEqualTo(16);
		List<Double> positions = new ArrayList<>();
		List<Double> metrics = new ArrayList<>();
		long scanned = history.scan(scheduler.getId(), 2.0, 40.5, 100_000, (position, lr, metric) -> {
			assertThat(lr).isEqualTo(0.1);
			positions.add(position);
			metrics.add(metric);
		});
		assertThat(scanned).isEqualTo(40);
		assertThat(positions).hasSize(40).isSorted().startsWith(2.0, 3.0).endsWith(40.0, 40.5);
		assertThat(metrics).startsWith(0.5, null);
		// the chosen records are read whole, one by one (a position without one is
		// skipped)
		List<Double> chosen = new ArrayList<>(positions);
		chosen.add(0, 0.0);
		chosen.add(1, 0.5);
		List<HistoryEntry> records = history.records(scheduler.getId(), chosen);
		chosen.remove(1);
		assertThat(records).extracting(HistoryEntry::position).containsExactlyElementsOf(chosen);
		assertThat(records.get(1)).isEqualTo(
				this.steps.findRows(scheduler.getId(), 2.0, 2.0, org.springframework.data.domain.Limit.of(1)).get(0));
		// with the units consumed, which the history response sends
		assertThat(records.get(1).consumed()).isEqualTo(2 * 4096L);
	}

	@Test
	void theFirstLrIsReadWithoutParsingTheRest() {
		assertThat(HistoryRows.firstLr("[{\"lr\":0.1,\"momentum\":0.9},{\"lr\":0.2,\"momentum\":null}]"))
			.isEqualTo(0.1);
		assertThat(HistoryRows.firstLr("[{\"lr\":1.0E-7}]")).isEqualTo(1e-7);
		assertThat(HistoryRows.firstLr("[{\"lr\":\"Infinity\",\"momentum\":null}]")).isInfinite();
		assertThat(HistoryRows.firstLr("[{\"lr\":\"NaN\",\"momentum\":null}]")).isNaN();
		assertThat(HistoryRows.firstLr("[{\"momentum\":0.9,\"initial_lr\":0.3}]")).isNaN();
		assertThat(HistoryRows.firstLr("[]")).isNaN();
	}

	@Test
	void restoresAreListedOldestFirstUpToTheMost() {
		SchedulerEntity scheduler = register("restores-" + UUID.randomUUID(), 0, now(), now());
		flushAndClear();
		RestoreRows restores = new RestoreRows(JdbcClient.create(this.dataSource));
		Instant at = now();
		restores.insert(scheduler.getId(), "resume", 5, 9.0, null, at);
		restores.insert(scheduler.getId(), "state", 3, null, "job/1", at.plusSeconds(1));
		restores.insert(scheduler.getId(), "resume", 2, 3.5, "job/1", at.plusSeconds(2));
		assertThat(restores.latest(scheduler.getId(), 10)).containsExactly(
				new RestoreRecord("resume", 5, 9.0, null, at),
				new RestoreRecord("state", 3, null, "job/1", at.plusSeconds(1)),
				new RestoreRecord("resume", 2, 3.5, "job/1", at.plusSeconds(2)));
		assertThat(restores.latest(scheduler.getId(), 2)).extracting(RestoreRecord::epoch).containsExactly(3L, 2L);
		restores.delete(scheduler.getId());
		assertThat(restores.latest(scheduler.getId(), 10)).isEmpty();
	}

	@Test
	void theLastPositionIsTheLatestRecords() {
		SchedulerEntity scheduler = register("last-" + UUID.randomUUID(), 0, now(), now());
		append(scheduler, 1, 1.0, null);
		append(scheduler, 1, 1.5, null);
		flushAndClear();
		assertThat(this.steps.lastPosition(scheduler.getId())).isEqualTo(1.5);
		assertThat(this.steps.lastPosition(-1)).isNull();
	}

	private SchedulerListRows rows() {
		return new SchedulerListRows(JdbcClient.create(this.dataSource));
	}

	private List<String> ids(SchedulerListQuery query) {
		return rows().page("%", query).stream().map((row) -> row.details().position().id()).toList();
	}

	private static SchedulerListQuery query(String idContains, SchedulerSort sort, boolean ascending, int page,
			int size) {
		return new SchedulerListQuery(page, size, idContains, sort, ascending);
	}

	private SchedulerEntity register(String id, long lastEpoch, Instant createdAt, Instant updatedAt) {
		Snapshot snapshot = new Snapshot(lastEpoch, lastEpoch, "{\"last_epoch\":" + lastEpoch + "}", GROUPS);
		SchedulerEntity scheduler = new SchedulerEntity(id, new Registered("StepLR",
				"{\"type\":\"StepLR\",\"step_size\":3,\"gamma\":0.1}", "{\"request\":true}", GROUPS), snapshot,
				createdAt);
		scheduler.moveTo(snapshot, updatedAt);
		scheduler = this.schedulers.save(scheduler);
		this.steps
			.save(new SchedulerStepEntity(scheduler.getId(), new Snapshot(0, 0.0, "{}", GROUPS), null, createdAt));
		return scheduler;
	}

	private void append(SchedulerEntity scheduler, long lastEpoch, double position, Double metric) {
		this.steps.save(new SchedulerStepEntity(scheduler.getId(),
				new Snapshot(lastEpoch, position, "{\"last_epoch\":" + lastEpoch + "}", GROUPS, lastEpoch * 4096),
				metric, now()));
	}

	private void flushAndClear() {
		this.entityManager.flush();
		this.entityManager.clear();
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

}
