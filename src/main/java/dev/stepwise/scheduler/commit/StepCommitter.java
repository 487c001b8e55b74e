package dev.stepwise.scheduler.commit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import dev.stepwise.scheduler.store.BatchStatements;
import dev.stepwise.scheduler.store.SchedulerAttemptRows;
import dev.stepwise.scheduler.store.SchedulerCache;
import dev.stepwise.scheduler.store.SchedulerRows;
import dev.stepwise.scheduler.store.SchedulerStepRows;
import dev.stepwise.scheduler.store.SchedulerStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Commits batches of steps, one transaction and one commit for all the steps of a batch,
 * and answers them only once that commit is done. Rows are locked in the order of the
 * scheduler ids, so that batches of several writers or replicas cannot deadlock. When the
 * database fails a batch before its commit, each step is taken again on its own, so one
 * step's trouble is not its neighbours'; but a database that cannot write (a full disk),
 * restarts or is out of reach is every step's trouble, and fails every step of the batch
 * at once (a 503; nothing was committed, even when the rollback failed too). When the
 * commit itself fails, whether it took effect is unknown, and every step of the batch
 * fails rather than risk taking one twice (a client retries with its epoch, and gets the
 * recorded step).
 */
@Component
class StepCommitter {

	private static final Log logger = LogFactory.getLog(StepCommitter.class);

	private static final int ATTEMPTS = 3;

	private static final Comparator<PendingStep> LOCK_ORDER = Comparator.comparing(PendingStep::schedulerId);

	private final Function<List<PendingStep>, List<PendingStep.Outcome>> batches;

	private final TransactionTemplate transaction;

	@Autowired
	StepCommitter(JdbcTemplate jdbc, SchedulerRows schedulers, SchedulerStepRows steps, SchedulerAttemptRows attempts,
			SchedulerCache cache, SchedulerStore store, TransactionTemplate transaction) {
		this(new StepBatch.Tables(schedulers, steps, attempts, cache, store).runner(jdbc), transaction);
	}

	/**
	 * A committer that takes the steps of a batch with {@code batches}, in the
	 * transaction.
	 */
	StepCommitter(Function<List<PendingStep>, List<PendingStep.Outcome>> batches, TransactionTemplate transaction) {
		this.batches = batches;
		this.transaction = transaction;
	}

	/** Takes and commits the steps, then settles every one of them. */
	void commit(List<PendingStep> steps) {
		List<PendingStep> ordered = new ArrayList<>(steps);
		ordered.sort(LOCK_ORDER);
		if (ordered.size() == 1) {
			commitAlone(ordered.get(0));
			return;
		}
		try {
			settle(ordered, run(ordered));
			return;
		}
		catch (BeforeCommit ex) {
			if (isUnavailable(ex.getCause())) {
				fail(ordered, ex.getCause());
				return;
			}
			logger.debug("A batch of " + ordered.size() + " steps failed before its commit; taking them one by one",
					ex.getCause());
		}
		catch (RuntimeException ex) {
			fail(ordered, ex);
			return;
		}
		ordered.forEach(this::commitAlone);
	}

	private void commitAlone(PendingStep step) {
		List<PendingStep> alone = List.of(step);
		for (int attempt = 1;; attempt++) {
			try {
				settle(alone, run(alone));
				return;
			}
			catch (BeforeCommit ex) {
				if (!(ex.getCause() instanceof ConcurrencyFailureException) || attempt == ATTEMPTS) {
					step.fail(ex.getCause());
					return;
				}
			}
			catch (RuntimeException ex) {
				step.fail(ex);
				return;
			}
		}
	}

	private List<PendingStep.Outcome> run(List<PendingStep> steps) {
		try {
			return Objects.requireNonNull(this.transaction.execute((status) -> {
				try {
					return this.batches.apply(steps);
				}
				catch (RuntimeException ex) {
					throw new BeforeCommit(ex);
				}
			}));
		}
		catch (TransactionSystemException ex) {
			// the rollback after a failed statement failed too (the connection is gone):
			// nothing was committed all the same
			if (ex.getApplicationException() instanceof BeforeCommit failed) {
				throw failed;
			}
			throw ex;
		}
		finally {
			steps.forEach(PendingStep::transactionEnded);
		}
	}

	private static void settle(List<PendingStep> steps, List<PendingStep.Outcome> outcomes) {
		for (int i = 0; i < steps.size(); i++) {
			steps.get(i).settle(outcomes.get(i));
		}
	}

	/**
	 * Whether the database cannot write, restarts or is out of reach: the trouble of
	 * every step, not of one.
	 */
	private static boolean isUnavailable(RuntimeException failure) {
		return failure instanceof TransientDataAccessResourceException
				|| failure instanceof DataAccessResourceFailureException;
	}

	static void fail(List<PendingStep> steps, Throwable failure) {
		for (PendingStep step : steps) {
			step.fail(failure);
		}
	}

	/** A batch's failure inside its transaction: nothing of it was committed. */
	private static final class BeforeCommit extends RuntimeException {

		BeforeCommit(RuntimeException cause) {
			super(cause);
		}

		@Override
		public synchronized RuntimeException getCause() {
			return (RuntimeException) super.getCause();
		}

	}

}
