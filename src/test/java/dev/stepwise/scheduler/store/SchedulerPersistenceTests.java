package dev.stepwise.scheduler.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import dev.stepwise.scheduler.HistoryEntry;

import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The JPA mappings and repository queries of schedulers and their history on the
 * configured database (H2 by default, PostgreSQL when {@code STEPWISE_DATABASE_URL} says
 * so). The JDBC side of each table is checked against them in {@link SchedulerTableTests}
 * and {@link SchedulerStepTableTests}.
 */
@StoreTest
class SchedulerPersistenceTests {

	private static final String GROUPS = "[{\"lr\":0.1,\"momentum\":0.9}]";

	@Autowired
	private SchedulerRepository schedulers;

	@Autowired
	private SchedulerStepRepository steps;

	@Autowired
	private EntityManager entityManager;

	@Test
	void schedulerRoundTripsWithItsState() {
		SchedulerEntity saved = register(snapshot(0, 0.0));
		saved.moveTo(
				new Snapshot(1, 1.0, "{\"last_epoch\":1,\"best\":\"Infinity\"}", "[{\"lr\":0.01,\"momentum\":null}]"),
				now());
		flushAndClear();
		SchedulerEntity found = this.schedulers.findByPublicId(saved.getPublicId()).orElseThrow();
		assertThat(found.getLastEpoch()).isEqualTo(1);
		assertThat(found.getStateJson()).isEqualTo("{\"last_epoch\":1,\"best\":\"Infinity\"}");
		assertThat(found.getParamGroupsJson()).isEqualTo("[{\"lr\":0.01,\"momentum\":null}]");
		assertThat(found.getRequestJson()).isEqualTo("{\"request\":true}");
		assertThat(found.getCreatedAt()).isEqualTo(saved.getCreatedAt());
		assertThat(found.getVersion()).isEqualTo(1);
	}

	@Test
	void lockFindsTheScheduler() {
		SchedulerEntity saved = register(snapshot(0, 0.0));
		flushAndClear();
		assertThat(this.schedulers.lockByPublicId(saved.getPublicId())).get()
			.extracting(SchedulerEntity::getId)
			.isEqualTo(saved.getId());
	}

	@Test
	void nonFiniteMetricsRoundTrip() {
		SchedulerEntity scheduler = register(snapshot(0, 0.0));
		append(scheduler, 1, 1.0, Double.NaN);
		append(scheduler, 2, 2.0, Double.POSITIVE_INFINITY);
		append(scheduler, 3, 3.0, Double.NEGATIVE_INFINITY);
		append(scheduler, 4, 4.0, null);
		append(scheduler, 5, 5.0, -0.5);
		flushAndClear();
		List<HistoryEntry> rows = this.steps.findRows(scheduler.getId(), 1, 5, Limit.unlimited());
		assertThat(rows).extracting(HistoryEntry::metric)
			.containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, null, -0.5);
	}

	@Test
	void historyRangeIsInEpochOrderAndLimited() {
		SchedulerEntity scheduler = register(snapshot(0, 0.0));
		for (int epoch = 5; epoch >= 1; epoch--) {
			append(scheduler, epoch, epoch, 1.0 * epoch);
		}
		append(scheduler, 2, 2.5, null);
		flushAndClear();
		assertThat(this.steps.findRows(scheduler.getId(), 2, 4, Limit.of(10))).extracting(HistoryEntry::position)
			.containsExactly(2.0, 2.5, 3.0, 4.0);
		assertThat(
				this.steps.findRows(scheduler.getId(), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Limit.of(3)))
			.extracting(HistoryEntry::position)
			.containsExactly(0.0, 1.0, 2.0);
	}

	@Test
	void latestRecordOfAnEpochIsItsEnd() {
		SchedulerEntity scheduler = register(snapshot(10, 10.0));
		append(scheduler, 10, 10.5, null);
		append(scheduler, 10, 10.25, null);
		append(scheduler, 11, 11.0, null);
		append(scheduler, 12, 12.0, null);
		flushAndClear();
		assertThat(this.steps.findEndOfEpoch(scheduler.getId(), 10)).get()
			.extracting(SchedulerStepEntity::getPosition)
			.isEqualTo(10.5);
		assertThat(this.steps.findEndOfEpoch(scheduler.getId(), 11)).get()
			.extracting(SchedulerStepEntity::getPosition)
			.isEqualTo(11.0);
		assertThat(this.steps.findEndOfEpoch(scheduler.getId(), 13)).isEmpty();
	}

	@Test
	void historyIsCutAfterAndFromAPosition() {
		SchedulerEntity scheduler = register(snapshot(0, 0.0));
		for (int epoch = 1; epoch <= 5; epoch++) {
			append(scheduler, epoch, epoch, null);
		}
		assertThat(this.steps.deleteAfter(scheduler.getId(), 3.0)).isEqualTo(2);
		assertThat(this.steps.deleteFrom(scheduler.getId(), 3.0)).isEqualTo(1);
		flushAndClear();
		assertThat(this.steps.findRows(scheduler.getId(), 0, 10, Limit.unlimited())).extracting(HistoryEntry::position)
			.containsExactly(0.0, 1.0, 2.0);
	}

	@Test
	void historyIsDeletedWithItsScheduler() {
		SchedulerEntity scheduler = register(snapshot(0, 0.0));
		append(scheduler, 1, 1.0, null);
		SchedulerEntity other = register(snapshot(0, 0.0));
		flushAndClear();
		assertThat(this.steps.deleteHistory(scheduler.getId())).isEqualTo(2);
		assertThat(this.schedulers.deleteByPublicId(scheduler.getPublicId())).isEqualTo(1);
		flushAndClear();
		assertThat(this.schedulers.findByPublicId(scheduler.getPublicId())).isEmpty();
		assertThat(this.steps.findRows(scheduler.getId(), 0, 10, Limit.unlimited())).isEmpty();
		assertThat(this.steps.findRows(other.getId(), 0, 10, Limit.unlimited())).hasSize(1);
		assertThat(this.schedulers.deleteByPublicId(scheduler.getPublicId())).isZero();
	}

	@Test
	void publicIdIsUnique() {
		SchedulerEntity first = register(snapshot(0, 0.0));
		assertThatExceptionOfType(DataIntegrityViolationException.class).isThrownBy(() -> this.schedulers
			.saveAndFlush(new SchedulerEntity(first.getPublicId(), registered(), snapshot(0, 0.0), now())));
	}

	@Test
	void positionIsUniquePerScheduler() {
		SchedulerEntity scheduler = register(snapshot(0, 0.0));
		assertThatExceptionOfType(DataIntegrityViolationException.class).isThrownBy(() -> this.steps
			.saveAndFlush(new SchedulerStepEntity(scheduler.getId(), snapshot(0, 0.0), null, now())));
	}

	private SchedulerEntity register(Snapshot snapshot) {
		SchedulerEntity scheduler = this.schedulers
			.save(new SchedulerEntity("test-" + UUID.randomUUID(), registered(), snapshot, now()));
		this.steps.save(new SchedulerStepEntity(scheduler.getId(), snapshot, null, now()));
		return scheduler;
	}

	private void append(SchedulerEntity scheduler, long lastEpoch, double position, Double metric) {
		this.steps.save(new SchedulerStepEntity(scheduler.getId(), snapshot(lastEpoch, position), metric, now()));
	}

	private void flushAndClear() {
		this.entityManager.flush();
		this.entityManager.clear();
	}

	private static Registered registered() {
		return new Registered("StepLR", "{\"type\":\"StepLR\",\"step_size\":3,\"gamma\":0.1}", "{\"request\":true}",
				GROUPS);
	}

	private static Snapshot snapshot(long lastEpoch, double position) {
		return new Snapshot(lastEpoch, position, "{\"last_epoch\":" + lastEpoch + "}", GROUPS);
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

}
