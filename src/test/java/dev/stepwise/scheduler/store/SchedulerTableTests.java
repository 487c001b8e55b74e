package dev.stepwise.scheduler.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.stepwise.scheduler.CurrentPosition;
import dev.stepwise.scheduler.SchedulerPosition;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code scheduler} table is mapped twice, by JPA ({@link SchedulerEntity}) and in
 * plain JDBC ({@link SchedulerRows}, the hot paths): a row written through either mapping
 * reads back identically through the other.
 */
@StoreTest
class SchedulerTableTests {

	private static final String GROUPS = "[{\"lr\":0.1,\"momentum\":0.9}]";

	@Autowired
	private SchedulerRepository schedulers;

	@Autowired
	private EntityManager entityManager;

	@Autowired
	private DataSource dataSource;

	@Test
	void aRowWrittenByJpaReadsBackThroughJdbc() {
		SchedulerEntity saved = this.schedulers.save(new SchedulerEntity("jpa-" + UUID.randomUUID(), registered(),
				new Snapshot(7, 7.5, "{\"last_epoch\":7,\"T_cur\":7.5}", GROUPS), now(), "job-7/1"));
		flushAndClear();
		SchedulerRows rows = rows();

		assertThat(rows.current(saved.getPublicId())).contains(new CurrentPosition(
				new SchedulerPosition(saved.getPublicId(), 7, GROUPS), saved.getId(), saved.getVersion()));
		SchedulerRows.Locked locked = BatchStatements.run(jdbc(),
				(statements) -> rows.lock(statements, saved.getPublicId()).orElseThrow());
		assertThat(locked).isEqualTo(new SchedulerRows.Locked(saved.getId(), saved.getCreatedAt(), 7, 7.5,
				"{\"last_epoch\":7,\"T_cur\":7.5}", "job-7/1", false, null, null));
		SchedulerCache.Source source = BatchStatements.run(jdbc(),
				(statements) -> rows.source(statements, saved.getId()));
		assertThat(source).isEqualTo(new SchedulerCache.Source(registered().requestJson(), GROUPS));
		assertThat(rows.current("missing-" + UUID.randomUUID())).isEmpty();
	}

	@Test
	void aRowUpdatedThroughJdbcReadsBackThroughJpa() {
		SchedulerEntity saved = this.schedulers.save(new SchedulerEntity("jdbc-" + UUID.randomUUID(), registered(),
				new Snapshot(0, 0.0, "{\"last_epoch\":0}", GROUPS), now(), "job-7/2"));
		assertThat(saved.isAttemptStarted()).isFalse();
		flushAndClear();
		Instant later = now().plusSeconds(5);
		Snapshot moved = new Snapshot(3, 3.25, "{\"last_epoch\":3,\"best\":\"Infinity\"}",
				"[{\"lr\":0.001,\"momentum\":null}]");
		BatchStatements.run(jdbc(), (statements) -> {
			rows().update(statements, List.of(new SchedulerRows.Moved(saved.getId(), moved, later)));
			return true;
		});

		SchedulerEntity found = this.schedulers.findByPublicId(saved.getPublicId()).orElseThrow();
		assertThat(found.getLastEpoch()).isEqualTo(3);
		assertThat(found.getPosition()).isEqualTo(3.25);
		assertThat(found.getStateJson()).isEqualTo(moved.stateJson());
		assertThat(found.getParamGroupsJson()).isEqualTo(moved.paramGroupsJson());
		assertThat(found.getUpdatedAt()).isEqualTo(later);
		assertThat(found.getVersion()).isEqualTo(saved.getVersion() + 1);
		assertThat(found.getCreatedAt()).isEqualTo(saved.getCreatedAt());
		assertThat(found.getRequestJson()).isEqualTo(registered().requestJson());
		assertThat(found.getSpecJson()).isEqualTo(registered().specJson());
		assertThat(found.getType()).isEqualTo("StepLR");
		// a step starts the attempt
		assertThat(found.getAttempt()).isEqualTo("job-7/2");
		assertThat(found.isAttemptStarted()).isTrue();
	}

	private SchedulerRows rows() {
		return new SchedulerRows(JdbcClient.create(this.dataSource));
	}

	private JdbcTemplate jdbc() {
		return new JdbcTemplate(this.dataSource);
	}

	private void flushAndClear() {
		this.entityManager.flush();
		this.entityManager.clear();
	}

	private static Registered registered() {
		return new Registered("StepLR", "{\"type\":\"StepLR\",\"step_size\":3,\"gamma\":0.1}",
				"{\"last_epoch\":0,\"param_groups\":[],\"scheduler\":{\"type\":\"StepLR\"}}", GROUPS);
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

}
