package dev.stepwise.scheduler.commit;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.stepwise.OnEveryDatabase;
import dev.stepwise.schedule.ParamGroup;
import dev.stepwise.scheduler.HistoryEntry;
import dev.stepwise.scheduler.Registration;
import dev.stepwise.scheduler.SchedulerPosition;
import dev.stepwise.scheduler.SchedulerService;
import dev.stepwise.scheduler.StepCommand;
import dev.stepwise.scheduler.StepResult;
import dev.stepwise.scheduler.store.SchedulerCache;
import dev.stepwise.scheduler.store.SchedulerRows;
import dev.stepwise.scheduler.store.SchedulerAttemptRows;
import dev.stepwise.scheduler.store.SchedulerStepRows;
import dev.stepwise.scheduler.store.SchedulerStore;
import org.h2.message.DbException;
import org.h2.mvstore.DataUtils;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A storage failure inside a batch of steps, before its commit, on the configured
 * database: a statement that fails as on a full disk (H2's failed write, PostgreSQL's
 * disk_full), and a connection that dies under the batch (H2's database shut down,
 * PostgreSQL's backend terminated), at the update of the schedulers or at the insert of
 * the history. Every step of the batch fails with a transient failure (a 503), nothing of
 * the batch is written, and the same steps retried once the database is back are taken
 * once each.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE)
@OnEveryDatabase
class StepBatchStorageFailuresTests {

	/** H2 gets a file of its own: this test shuts its database down. */
	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void ownH2File(DynamicPropertyRegistry registry) {
		registry.add("stepwise.data-dir", dataDir::toString);
	}

	@Autowired
	private DataSource dataSource;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private SchedulerRows rows;

	@Autowired
	private SchedulerStepRows stepRows;

	@Autowired
	private SchedulerCache cache;

	@Autowired
	private SchedulerStore store;

	@Autowired
	private TransactionTemplate transaction;

	@Autowired
	private SchedulerService schedulers;

	private volatile @Nullable Fault armed;

	@ParameterizedTest(name = "{1} at the {0}")
	@CsvSource({ "update scheduler, STATEMENT_FAILS", "insert into scheduler_step, STATEMENT_FAILS",
			"update scheduler, CONNECTION_DIES", "insert into scheduler_step, CONNECTION_DIES" })
	void everyStepOfTheBatchIsTransientNothingIsHalfWrittenAndTheRetryTakesEachOnce(String statement, Fault.Kind kind) {
		StepCommitter committer = committerWithFaults();
		String a = register();
		String b = register();
		List<StepCommand> ahead = List.of(new StepCommand(1.0, null));
		assertThat(untilAvailable(() -> commit(committer, List.of(a), ahead)).get(0).position().lastEpoch())
			.isEqualTo(1);
		List<String> ids = List.of(a, b, a);
		List<StepCommand> commands = List.of(new StepCommand(2.0, 0.5), new StepCommand(1.0, null),
				new StepCommand(3.0, null));

		this.armed = new Fault(statement, kind);
		List<PendingStep> batch = pending(ids, commands);
		committer.commit(batch);
		this.armed = null;
		for (PendingStep step : batch) {
			assertThat(failure(step)).as("step of %s", step.schedulerId())
				.isInstanceOf(TransientDataAccessResourceException.class);
		}
		assertThat(untilAvailable(() -> epochs(a))).containsExactly(0L, 1L);
		assertThat(untilAvailable(() -> epochs(b))).containsExactly(0L);
		assertPositionIsTheLastRecord(a, 1);
		assertPositionIsTheLastRecord(b, 0);

		List<StepResult> retried = untilAvailable(() -> commit(committer, ids, commands));
		assertThat(retried).extracting((result) -> result.position().lastEpoch()).containsExactly(2L, 1L, 3L);
		List<StepResult> replayed = untilAvailable(() -> commit(committer, ids, commands));
		assertThat(replayed).extracting(StepResult::replayed).containsExactly(true, true, true);
		assertThat(epochs(a)).containsExactly(0L, 1L, 2L, 3L);
		assertThat(epochs(b)).containsExactly(0L, 1L);
		assertPositionIsTheLastRecord(a, 3);
		assertPositionIsTheLastRecord(b, 1);
	}

	/**
	 * The real committer, batches and database, but the connection of each batch goes
	 * through {@link #armed}.
	 */
	private StepCommitter committerWithFaults() {
		JdbcTemplate faulty = new JdbcTemplate(this.dataSource) {
			@Override
			public <T> @Nullable T execute(ConnectionCallback<T> action) {
				return super.execute((ConnectionCallback<T>) (connection) -> action.doInConnection(faulty(connection)));
			}
		};
		faulty.setExceptionTranslator(this.jdbc.getExceptionTranslator());
		return new StepCommitter(
				new StepBatch.Tables(this.rows, this.stepRows, new SchedulerAttemptRows(), this.cache, this.store)
					.runner(faulty),
				this.transaction);
	}

	private Connection faulty(Connection connection) {
		return proxy(Connection.class, (method, args) -> {
			Object result = invoke(method, connection, args);
			if (result instanceof PreparedStatement statement && args != null && args[0] instanceof String sql) {
				return proxy(PreparedStatement.class, (call, callArgs) -> {
					Fault fault = this.armed;
					if (fault != null && call.getName().startsWith("execute") && sql.startsWith(fault.statement())) {
						fault.strike(connection);
					}
					return invoke(call, statement, callArgs);
				});
			}
			return result;
		});
	}

	/**
	 * Takes the steps as one batch; a transient failure of any of them is thrown (the
	 * caller retries all, as clients would).
	 */
	private List<StepResult> commit(StepCommitter committer, List<String> ids, List<StepCommand> commands) {
		List<PendingStep> batch = pending(ids, commands);
		committer.commit(batch);
		List<StepResult> results = new ArrayList<>();
		for (PendingStep step : batch) {
			results.add(step.result(Duration.ZERO));
		}
		return results;
	}

	private void assertPositionIsTheLastRecord(String id, long lastEpoch) {
		SchedulerPosition position = untilAvailable(() -> this.schedulers.current(id).position());
		List<HistoryEntry> history = history(id);
		HistoryEntry last = history.get(history.size() - 1);
		assertThat(position.lastEpoch()).isEqualTo(lastEpoch).isEqualTo(last.lastEpoch());
		assertThat(position.paramGroupsJson()).isEqualTo(last.paramGroupsJson());
	}

	private List<Long> epochs(String id) {
		return history(id).stream().map(HistoryEntry::lastEpoch).toList();
	}

	private List<HistoryEntry> history(String id) {
		return untilAvailable(
				() -> this.schedulers.history(id, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 100).items());
	}

	/**
	 * Retries what fails transiently, for a few seconds, as a client would: after a
	 * database was shut down the pool may hand out a connection of the closed database
	 * once.
	 */
	private static <T> T untilAvailable(Supplier<T> action) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (true) {
			try {
				return action.get();
			}
			catch (TransientDataAccessException | DataAccessResourceFailureException
					| CannotCreateTransactionException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	private String register() {
		String id = "storage-" + UUID.randomUUID();
		untilAvailable(() -> this.schedulers.register(new Registration(id, List.of(new ParamGroup(0.1, null)),
				Map.of("type", "StepLR", "step_size", 1, "gamma", 0.5), 0)));
		return id;
	}

	private static List<PendingStep> pending(List<String> ids, List<StepCommand> commands) {
		List<PendingStep> steps = new ArrayList<>();
		for (int i = 0; i < ids.size(); i++) {
			steps.add(new PendingStep(ids.get(i), commands.get(i)));
		}
		return steps;
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

	private static <T> T proxy(Class<T> type, Call call) {
		return type.cast(Proxy.newProxyInstance(StepBatchStorageFailuresTests.class.getClassLoader(),
				new Class<?>[] { type }, (proxy, method, args) -> call.invoke(method, args)));
	}

	private static Object invoke(Method method, Object target, Object @Nullable [] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	@FunctionalInterface
	private interface Call {

		Object invoke(Method method, Object @Nullable [] args) throws Throwable;

	}

	/**
	 * A failure of the statements starting with {@code statement}, each time one of them
	 * executes.
	 *
	 * @param statement the start of the statement's SQL
	 * @param kind what happens
	 */
	record Fault(String statement, Kind kind) {

		enum Kind {

			/** The statement fails as on a full disk; the connection stays usable. */
			STATEMENT_FAILS,

			/**
			 * The connection dies for real before the statement: H2's database is shut
			 * down, PostgreSQL's backend terminated.
			 */
			CONNECTION_DIES

		}

		void strike(Connection connection) throws SQLException {
			boolean h2 = connection.getMetaData().getDatabaseProductName().startsWith("H2");
			if (this.kind == Kind.STATEMENT_FAILS) {
				throw h2 ? DbException
					.convert(DataUtils.newMVStoreException(DataUtils.ERROR_WRITING_FAILED, "Writing to {0} failed",
							"stepwise.mv.db", new IOException("No space left on device")))
					.getSQLException()
						: new SQLException("could not extend file \"base/16384/16386\": No space left on device",
								"53100");
			}
			try (Statement kill = connection.createStatement()) {
				kill.execute(h2 ? "SHUTDOWN IMMEDIATELY" : "SELECT pg_terminate_backend(pg_backend_pid())");
			}
			catch (SQLException ex) {
				// PostgreSQL answers the termination of the own backend with 57P01
			}
		}

	}

}
