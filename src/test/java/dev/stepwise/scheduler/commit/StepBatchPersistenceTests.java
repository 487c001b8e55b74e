package dev.stepwise.scheduler.commit;

import java.time.Duration;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import javax.sql.DataSource;

import dev.stepwise.OnEveryDatabase;
import dev.stepwise.schedule.JsonValues;
import dev.stepwise.schedule.ParamGroup;
import dev.stepwise.schedule.StepException;
import dev.stepwise.scheduler.AttemptRecord;
import dev.stepwise.scheduler.EpochConflictException;
import dev.stepwise.scheduler.HistoryEntry;
import dev.stepwise.scheduler.Registration;
import dev.stepwise.scheduler.SchedulerNotFoundException;
import dev.stepwise.scheduler.SchedulerPosition;
import dev.stepwise.scheduler.SchedulerService;
import dev.stepwise.scheduler.StaleAttemptException;
import dev.stepwise.scheduler.StepCommand;
import dev.stepwise.scheduler.StepResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Batches of steps committed together, on the configured database (H2 by default,
 * PostgreSQL when {@code STEPWISE_DATABASE_URL} says so): steps of one scheduler in one
 * batch see each other, a step that fails leaves the others alone, and a database error
 * before the commit retries each step alone.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE)
@OnEveryDatabase
class StepBatchPersistenceTests {

	@Autowired
	private StepCommitter committer;

	@Autowired
	private SchedulerService schedulers;

	@Autowired
	private DataSource dataSource;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private JsonMapper jsonMapper;

	@Test
	void stepsOfOneSchedulerInOneBatchSeeEachOther() {
		String first = register(Map.of("type", "StepLR", "step_size", 1, "gamma", 0.5));
		String second = register(Map.of("type", "StepLR", "step_size", 1, "gamma", 0.5));
		long version = this.schedulers.current(first).rowVersion();
		List<PendingStep> batch = List.of(step(first, null, 0.5), step(second, null, null), step(first, null, 0.25),
				step(first, 2.0, 0.25), step(first, 1.0, 0.5), step(second, 1.0, 0.75));
		this.committer.commit(batch);
		assertThat(result(batch.get(0)))
			.isEqualTo(new StepResult(new SchedulerPosition(first, 1, groups(0.05)), false));
		assertThat(result(batch.get(1)))
			.isEqualTo(new StepResult(new SchedulerPosition(second, 1, groups(0.05)), false));
		assertThat(result(batch.get(2)))
			.isEqualTo(new StepResult(new SchedulerPosition(first, 2, groups(0.025)), false));
		// replays of epochs taken earlier in the same batch
		assertThat(result(batch.get(3)))
			.isEqualTo(new StepResult(new SchedulerPosition(first, 2, groups(0.025)), true));
		assertThat(result(batch.get(4))).isEqualTo(new StepResult(new SchedulerPosition(first, 1, groups(0.05)), true));
		assertThat(failure(batch.get(5))).isInstanceOf(EpochConflictException.class)
			.hasMessageContaining("was recorded with metric null, not 0.75");
		assertThat(this.schedulers.current(first).position()).isEqualTo(new SchedulerPosition(first, 2, groups(0.025)));
		assertThat(this.schedulers.current(first).rowVersion()).isNotEqualTo(version);
		assertThat(history(first)).containsExactly(entry(0, null), entry(1, 0.5), entry(2, 0.25));
		assertThat(history(second)).containsExactly(entry(0, null), entry(1, null));
	}

	@Test
	void theFirstStepOfAnAttemptInABatchStartsItOnceAndAStaleAttemptChangesNothing() {
		String id = "batch-" + UUID.randomUUID();
		Map<String, Object> spec = Map.of("type", "StepLR", "step_size", 1, "gamma", 0.5);
		List<ParamGroup> groups = List.of(new ParamGroup(0.1, null));
		this.schedulers.register(new Registration(id, groups, spec, 0, "job/0"));
		this.committer
			.commit(List.of(step(id, 1.0, null, "job/0"), step(id, 2.0, null, "job/0"), step(id, 3.0, null, "job/0")));
		this.schedulers.register(new Registration(id, groups, spec, 0, "job/1"));
		// two ranks of job/1 and the zombie of job/0 in one batch, the superseded history
		// after the start still there
		List<PendingStep> batch = List.of(step(id, 1.0, null, "job/0"), step(id, 0.0, null, "job/1"),
				step(id, 1.0, null, "job/1"), step(id, 1.0, null, "job/1"), step(id, 4.0, null, "job/0"),
				step(id, 2.0, null, "job/1"), step(id, 2.0, null, "job/1"));
		this.committer.commit(batch);
		assertThat(failure(batch.get(0))).isInstanceOf(StaleAttemptException.class);
		assertThat(result(batch.get(1))).isEqualTo(new StepResult(new SchedulerPosition(id, 0, groups(0.1)), true));
		assertThat(result(batch.get(2))).isEqualTo(new StepResult(new SchedulerPosition(id, 1, groups(0.05)), false));
		assertThat(result(batch.get(3))).isEqualTo(new StepResult(new SchedulerPosition(id, 1, groups(0.05)), true));
		assertThat(failure(batch.get(4))).isInstanceOf(StaleAttemptException.class);
		assertThat(result(batch.get(5))).isEqualTo(new StepResult(new SchedulerPosition(id, 2, groups(0.025)), false));
		assertThat(result(batch.get(6))).isEqualTo(new StepResult(new SchedulerPosition(id, 2, groups(0.025)), true));
		assertThat(history(id)).containsExactly(entry(0, null), entry(1, null), entry(2, null));
		assertThat(this.schedulers.history(id, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 100).items())
			.extracting(HistoryEntry::attempt)
			.containsExactly("job/1", "job/1", "job/1");
		assertThat(this.schedulers.attempts(id)).extracting(AttemptRecord::startedBy).containsExactly("step", "step");
		assertThat(this.schedulers.get(id).attemptStarted()).isTrue();
	}

	@Test
	void epochsRecordedByEarlierBatchesAreReplayedWithTheirMetrics() {
		String id = register(Map.of("type", "StepLR", "step_size", 1, "gamma", 0.5));
		this.committer.commit(List.of(step(id, 1.0, null)));
		this.committer.commit(List.of(step(id, 2.0, 0.5)));
		List<PendingStep> replays = List.of(step(id, 1.0, null), step(id, 2.0, 0.5), step(id, 1.0, 0.5),
				step(id, 2.0, null), step(id, 0.0, null));
		this.committer.commit(replays);
		assertThat(result(replays.get(0))).isEqualTo(new StepResult(new SchedulerPosition(id, 1, groups(0.05)), true));
		assertThat(result(replays.get(1))).isEqualTo(new StepResult(new SchedulerPosition(id, 2, groups(0.025)), true));
		assertThat(failure(replays.get(2))).isInstanceOf(EpochConflictException.class)
			.hasMessageContaining("was recorded with metric null, not 0.5");
		assertThat(failure(replays.get(3))).isInstanceOf(EpochConflictException.class)
			.hasMessageContaining("was recorded with metric 0.5, not null");
		assertThat(result(replays.get(4))).isEqualTo(new StepResult(new SchedulerPosition(id, 0, groups(0.1)), true));
	}

	@Test
	void aStateChangedOutsideTheStepsIsReadAfresh() {
		String id = register(Map.of("type", "StepLR", "step_size", 1, "gamma", 0.5));
		this.schedulers.step(id, new StepCommand(null, null));
		this.schedulers.step(id, new StepCommand(null, null));
		// the row goes back to the state of epoch 1 (as a resume on another replica
		// would)
		this.schedulers.resume(id, 1);
		assertThat(this.schedulers.step(id, new StepCommand(null, null)).position())
			.isEqualTo(new SchedulerPosition(id, 2, groups(0.025)));
		String document = this.schedulers.stateDocument(id);
		this.schedulers.replaceState(id,
				JsonValues.object(this.jsonMapper.readValue(document.replace("0.025", "0.5"), Map.class), "", false));
		assertThat(this.schedulers.step(id, new StepCommand(null, null)).position())
			.isEqualTo(new SchedulerPosition(id, 3, groups(0.25)));
	}

	@Test
	void aFailingStepLeavesTheOthersOfItsBatchAlone() {
		String stepping = register(Map.of("type", "StepLR", "step_size", 1, "gamma", 0.5));
		String oneCycle = register(Map.of("type", "OneCycleLR", "max_lr", 1.0, "total_steps", 2));
		String unknown = "unknown-" + UUID.randomUUID();
		List<PendingStep> batch = List.of(step(unknown, null, null), step(stepping, 5.0, null),
				step(oneCycle, null, null), step(oneCycle, null, null), step(oneCycle, null, null),
				step(stepping, null, null), step(stepping, 1.5, null));
		this.committer.commit(batch);
		assertThat(failure(batch.get(0))).isInstanceOf(SchedulerNotFoundException.class);
		assertThat(failure(batch.get(1))).isInstanceOf(EpochConflictException.class)
			.hasMessageContaining("skip epochs");
		assertThat(result(batch.get(2)).position().lastEpoch()).isEqualTo(1);
		assertThat(result(batch.get(3)).position().lastEpoch()).isEqualTo(2);
		assertThat(failure(batch.get(4))).isInstanceOf(StepException.class);
		assertThat(result(batch.get(5)).position()).isEqualTo(new SchedulerPosition(stepping, 1, groups(0.05)));
		assertThat(failure(batch.get(6))).isInstanceOf(StepException.class);
		assertThat(history(stepping)).containsExactly(entry(0, null), entry(1, null));
		assertThat(history(oneCycle)).extracting(Entry::epoch).containsExactly(0.0, 1.0, 2.0);
	}

	@Test
	void aDatabaseErrorBeforeTheCommitRetriesEachStepAlone() {
		String broken = register(Map.of("type", "StepLR", "step_size", 1, "gamma", 0.5));
		String healthy = register(Map.of("type", "StepLR", "step_size", 1, "gamma", 0.5));
		// a record at the position the next step of `broken` takes: its insert violates
		// the unique key
		this.jdbc.sql("insert into scheduler_step (scheduler_id, last_epoch, position, metric, state_json,"
				+ " param_groups_json, recorded_at) select scheduler_id, 1, 1.0, null, state_json, param_groups_json,"
				+ " recorded_at from scheduler_step where scheduler_id = (select id from scheduler where public_id = ?)")
			.param(broken)
			.update();
		List<PendingStep> batch = List.of(step(broken, null, null), step(healthy, null, null));
		this.committer.commit(batch);
		assertThat(failure(batch.get(0))).isInstanceOf(DataIntegrityViolationException.class);
		assertThat(result(batch.get(1)).position()).isEqualTo(new SchedulerPosition(healthy, 1, groups(0.05)));
		assertThat(this.schedulers.current(broken).position().lastEpoch()).isZero();
		assertThat(this.schedulers.current(healthy).position().lastEpoch()).isEqualTo(1);
	}

	@Test
	void deletingASchedulerDeletesItsHistory() {
		String id = register(Map.of("type", "StepLR", "step_size", 1));
		this.schedulers.step(id, new StepCommand(null, null));
		long pk = this.jdbc.sql("select id from scheduler where public_id = ?").param(id).query(Long.class).single();
		this.schedulers.delete(id);
		assertThat(this.jdbc.sql("select count(*) from scheduler_step where scheduler_id = ?")
			.param(pk)
			.query(Long.class)
			.single()).isZero();
		assertThatExceptionOfType(SchedulerNotFoundException.class).isThrownBy(() -> this.schedulers.delete(id));
	}

	@Test
	void theHistoryHasOnlyTheIndexesAStepNeeds() throws Exception {
		// every index on scheduler_step is written by every step: the primary key and
		// (scheduler_id, position)
		Map<String, TreeSet<String>> indexes = new TreeMap<>();
		try (var connection = this.dataSource.getConnection()) {
			DatabaseMetaData metaData = connection.getMetaData();
			String table = metaData.storesUpperCaseIdentifiers() ? "SCHEDULER_STEP" : "scheduler_step";
			try (ResultSet rs = metaData.getIndexInfo(null, null, table, false, false)) {
				while (rs.next()) {
					if (rs.getString("INDEX_NAME") != null) {
						indexes.computeIfAbsent(rs.getString("INDEX_NAME"), (name) -> new TreeSet<>())
							.add(rs.getString("COLUMN_NAME").toLowerCase());
					}
				}
			}
		}
		assertThat(indexes.values()).containsExactlyInAnyOrder(new TreeSet<>(List.of("id")),
				new TreeSet<>(List.of("scheduler_id", "position")));
	}

	private String register(Map<String, Object> scheduler) {
		String id = "batch-" + UUID.randomUUID();
		this.schedulers.register(new Registration(id, List.of(new ParamGroup(0.1, null)), scheduler, 0));
		return id;
	}

	private List<Entry> history(String id) {
		List<Entry> entries = new ArrayList<>();
		for (HistoryEntry entry : this.schedulers.history(id, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 100)
			.items()) {
			entries.add(new Entry(entry.position(), entry.metric()));
		}
		return entries;
	}

	private static PendingStep step(String id, Double epoch, Double metric) {
		return new PendingStep(id, new StepCommand(epoch, metric));
	}

	private static PendingStep step(String id, Double epoch, Double metric, String attempt) {
		return new PendingStep(id, new StepCommand(epoch, metric, attempt));
	}

	private static StepResult result(PendingStep step) {
		assertThat(step.isSettled()).isTrue();
		return step.result(Duration.ZERO);
	}

	private static RuntimeException failure(PendingStep step) {
		assertThat(step.isSettled()).isTrue();
		try {
			step.result(Duration.ZERO);
		}
		catch (RuntimeException ex) {
			return ex;
		}
		throw new AssertionError("Step of " + step.schedulerId() + " succeeded");
	}

	private static String groups(double lr) {
		return "[{\"lr\":" + lr + ",\"momentum\":null}]";
	}

	private static Entry entry(double epoch, Double metric) {
		return new Entry(epoch, metric);
	}

	record Entry(double epoch, Double metric) {
	}

}
