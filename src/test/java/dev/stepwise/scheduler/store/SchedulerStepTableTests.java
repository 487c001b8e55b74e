package dev.stepwise.scheduler.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import dev.stepwise.scheduler.HistoryEntry;
import jakarta.persistence.EntityManager;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code scheduler_step} table (the history) is mapped twice, by JPA
 * ({@link SchedulerStepEntity}) and in plain JDBC ({@link SchedulerStepRows}, the hot
 * path of steps): a record written through either mapping reads back identically through
 * the other, non-finite and absent metrics included.
 */
@StoreTest
class SchedulerStepTableTests {

	private static final String GROUPS = "[{\"lr\":0.1,\"momentum\":0.9}]";

	@Autowired
	private SchedulerRepository schedulers;

	@Autowired
	private SchedulerStepRepository steps;

	@Autowired
	private EntityManager entityManager;

	@Autowired
	private DataSource dataSource;

	private final SchedulerStepRows rows = new SchedulerStepRows();

	@Test
	void recordsWrittenByJpaReadBackThroughJdbc() {
		long pk = scheduler();
		Instant at = now();
		Double[] metrics = { Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, null, -0.5 };
		for (int i = 0; i < metrics.length; i++) {
			this.steps.save(new SchedulerStepEntity(pk, snapshot(i + 1, i + 1.0), metrics[i], at));
		}
		this.steps.save(new SchedulerStepEntity(pk, snapshot(5, 5.5), 0.25, at));
		flushAndClear();

		for (int i = 0; i < metrics.length; i++) {
			assertThat(recorded(pk, i + 1.0)).contains(entry(i + 1, i + 1.0, metrics[i], at));
		}
		assertThat(recorded(pk, 5.5)).contains(entry(5, 5.5, 0.25, at));
		assertThat(recorded(pk, 6.0)).isEmpty();
	}

	@Test
	void recordsInsertedThroughJdbcReadBackThroughJpa() {
		long pk = scheduler();
		Instant at = now();
		List<SchedulerStepRows.Recorded> records = List.of(
				new SchedulerStepRows.Recorded(pk, snapshot(1, 1.0), Double.NaN, at),
				new SchedulerStepRows.Recorded(pk, snapshot(2, 2.0), null, at),
				new SchedulerStepRows.Recorded(pk, snapshot(2, 2.75), Double.NEGATIVE_INFINITY, at),
				new SchedulerStepRows.Recorded(pk, snapshot(3, 3.0), 0.125, at));
		BatchStatements.run(new JdbcTemplate(this.dataSource), (statements) -> {
			this.rows.insert(statements, records);
			return true;
		});

		assertThat(this.steps.findRows(pk, 1, 3, Limit.unlimited())).containsExactly(entry(1, 1.0, Double.NaN, at),
				entry(2, 2.0, null, at), entry(2, 2.75, Double.NEGATIVE_INFINITY, at), entry(3, 3.0, 0.125, at));
		SchedulerStepEntity end = this.steps.findEndOfEpoch(pk, 2).orElseThrow();
		assertThat(end.snapshot()).isEqualTo(snapshot(2, 2.75));
		assertThat(end.getMetric()).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(end.getRecordedAt()).isEqualTo(at);
		assertThat(end.getSchedulerId()).isEqualTo(pk);
	}

	private Optional<HistoryEntry> recorded(long pk, double position) {
		return BatchStatements.run(new JdbcTemplate(this.dataSource),
				(statements) -> this.rows.recorded(statements, pk, position));
	}

	private long scheduler() {
		SchedulerEntity scheduler = this.schedulers.save(new SchedulerEntity("steps-" + UUID.randomUUID(),
				new Registered("StepLR", "{}", "{}", GROUPS), snapshot(0, 0.0), now()));
		return scheduler.getId();
	}

	private void flushAndClear() {
		this.entityManager.flush();
		this.entityManager.clear();
	}

	private static HistoryEntry entry(long lastEpoch, double position, @Nullable Double metric, Instant at) {
		return new HistoryEntry(lastEpoch, position, metric, GROUPS, at);
	}

	private static Snapshot snapshot(long lastEpoch, double position) {
		return new Snapshot(lastEpoch, position, "{\"last_epoch\":" + lastEpoch + ",\"at\":" + position + "}", GROUPS);
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

}
