package dev.stepwise.scheduler.commit;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import dev.stepwise.scheduler.EpochConflictException;
import dev.stepwise.scheduler.SchedulerPosition;
import dev.stepwise.scheduler.StepCommand;
import dev.stepwise.scheduler.StepResult;

import org.junit.jupiter.api.Test;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;

/**
 * When the steps of a batch are answered, and what is retried: nothing before the commit,
 * each step alone after a failure inside the transaction (unless the database is
 * unavailable: then none), nothing after a failed commit.
 */
class StepCommitterTests {

	@SuppressWarnings("unchecked")
	private final Function<List<PendingStep>, List<PendingStep.Outcome>> batches = mock(Function.class);

	private final Transactions transactions = new Transactions();

	private final StepCommitter committer = new StepCommitter(this.batches, new TransactionTemplate(this.transactions));

	@Test
	void answersTheStepsOfABatchOnlyAfterItsCommit() {
		PendingStep a = step("a");
		PendingStep b = step("b");
		given(this.batches.apply(any())).willAnswer((invocation) -> {
			assertThat(a.isSettled() || b.isSettled()).isFalse();
			return List.of(ok("a"), PendingStep.Outcome.failed(new EpochConflictException("gap", 0, 1L)));
		});
		this.committer.commit(List.of(a, b));
		assertThat(a.result(Duration.ZERO).position().id()).isEqualTo("a");
		assertThatExceptionOfType(EpochConflictException.class).isThrownBy(() -> b.result(Duration.ZERO));
		assertThat(this.transactions.commits).isEqualTo(1);
	}

	@Test
	void locksInTheOrderOfTheSchedulerIdsAndAnswersEachItsOwn() {
		PendingStep b = step("b");
		PendingStep a = step("a");
		given(this.batches.apply(any())).willReturn(List.of(ok("a"), ok("b")));
		this.committer.commit(List.of(b, a));
		assertThat(a.result(Duration.ZERO).position().id()).isEqualTo("a");
		assertThat(b.result(Duration.ZERO).position().id()).isEqualTo("b");
	}

	@Test
	void takesEachStepAloneWhenTheBatchFailsBeforeItsCommit() {
		PendingStep a = step("a");
		PendingStep b = step("b");
		given(this.batches.apply(any())).willThrow(new DataIntegrityViolationException("duplicate"))
			.willThrow(new DataIntegrityViolationException("duplicate"))
			.willReturn(List.of(ok("b")));
		this.committer.commit(List.of(a, b));
		assertThatExceptionOfType(DataIntegrityViolationException.class).isThrownBy(() -> a.result(Duration.ZERO));
		assertThat(b.result(Duration.ZERO).position().id()).isEqualTo("b");
		then(this.batches).should(times(3)).apply(any());
		assertThat(this.transactions.rollbacks).isEqualTo(2);
		assertThat(this.transactions.commits).isEqualTo(1);
	}

	@Test
	void failsEveryStepWithoutRetryWhenTheCommitFails() {
		PendingStep a = step("a");
		PendingStep b = step("b");
		this.transactions.failCommits = true;
		given(this.batches.apply(any())).willReturn(List.of(ok("a"), ok("b")));
		this.committer.commit(List.of(a, b));
		assertThatExceptionOfType(TransactionSystemException.class).isThrownBy(() -> a.result(Duration.ZERO));
		assertThatExceptionOfType(TransactionSystemException.class).isThrownBy(() -> b.result(Duration.ZERO));
		then(this.batches).should(times(1)).apply(any());
	}

	@Test
	void failsEveryStepAtOnceWhenTheDatabaseIsUnavailableBeforeTheCommit() {
		PendingStep a = step("a");
		PendingStep b = step("b");
		TransientDataAccessResourceException full = new TransientDataAccessResourceException("disk full");
		given(this.batches.apply(any())).willThrow(full);
		this.committer.commit(List.of(a, b));
		assertThatExceptionOfType(TransientDataAccessResourceException.class).isThrownBy(() -> a.result(Duration.ZERO))
			.isSameAs(full);
		assertThatExceptionOfType(TransientDataAccessResourceException.class).isThrownBy(() -> b.result(Duration.ZERO))
			.isSameAs(full);
		then(this.batches).should(times(1)).apply(any());
		assertThat(this.transactions.rollbacks).isEqualTo(1);
	}

	@Test
	void aRollbackThatFailsAfterAStatementFailedStillCountsAsNothingCommitted() {
		PendingStep a = step("a");
		PendingStep b = step("b");
		this.transactions.failRollbacks = true;
		DataAccessResourceFailureException lost = new DataAccessResourceFailureException("connection lost");
		given(this.batches.apply(any())).willThrow(lost);
		this.committer.commit(List.of(a, b));
		assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(() -> a.result(Duration.ZERO))
			.isSameAs(lost);
		assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(() -> b.result(Duration.ZERO))
			.isSameAs(lost);

		// any other failure: each step is taken alone
		PendingStep c = step("c");
		PendingStep d = step("d");
		willThrow(new DataIntegrityViolationException("duplicate")).willReturn(List.of(ok("c")))
			.willReturn(List.of(ok("d")))
			.given(this.batches)
			.apply(any());
		this.committer.commit(List.of(c, d));
		assertThat(c.result(Duration.ZERO).position().id()).isEqualTo("c");
		assertThat(d.result(Duration.ZERO).position().id()).isEqualTo("d");
	}

	@Test
	void retriesAStepOnAConcurrencyFailureThreeTimesAtMost() {
		PendingStep lucky = step("a");
		given(this.batches.apply(any())).willThrow(new CannotAcquireLockException("timeout"))
			.willReturn(List.of(ok("a")));
		this.committer.commit(List.of(lucky));
		assertThat(lucky.result(Duration.ZERO).position().id()).isEqualTo("a");

		PendingStep unlucky = step("b");
		given(this.batches.apply(any())).willThrow(new CannotAcquireLockException("timeout"));
		this.committer.commit(List.of(unlucky));
		assertThatExceptionOfType(CannotAcquireLockException.class).isThrownBy(() -> unlucky.result(Duration.ZERO));
		then(this.batches).should(times(5)).apply(any());
	}

	private static PendingStep step(String id) {
		return new PendingStep(id, new StepCommand(null, null));
	}

	private static PendingStep.Outcome ok(String id) {
		return PendingStep.Outcome.of(new StepResult(new SchedulerPosition(id, 1, "[]"), false));
	}

	/** Counts commits and rollbacks, and fails commits on demand. */
	static class Transactions extends AbstractPlatformTransactionManager {

		private int commits;

		private int rollbacks;

		private boolean failCommits;

		private boolean failRollbacks;

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
			if (this.failCommits) {
				throw new TransactionSystemException("commit failed");
			}
			this.commits++;
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
			if (this.failRollbacks) {
				throw new TransactionSystemException("rollback failed");
			}
			this.rollbacks++;
		}

	}

}
