package dev.stepwise.scheduler;

import java.util.Objects;
import java.util.Optional;

import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleAmendment;
import dev.stepwise.schedule.ScheduleState;
import dev.stepwise.scheduler.store.AmendmentRows;
import dev.stepwise.scheduler.store.SchedulerStore;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Amendments: changes of a schedule mid-run, each anchored to an epoch so that every rank
 * sees it at the same step. One at the current {@code last_epoch} takes effect at once
 * (the state and the history record of that epoch become the amended state); one at a
 * later epoch is pending, and the step that reaches its epoch applies it in the same
 * transaction, on whichever replica commits it. At most one is pending at a time. A
 * resume or state PUT to an epoch before an applied amendment undoes it.
 */
@Service
public class AmendmentService {

	private final SchedulerStore store;

	private final TransactionTemplate transaction;

	AmendmentService(SchedulerStore store, TransactionTemplate transaction) {
		this.store = store;
		this.transaction = transaction;
	}

	/**
	 * Records an amendment, applying it now when its epoch is the current one; the same
	 * amendment id with the same body again answers the recorded amendment.
	 * @throws AmendmentConflictException for an epoch some rank has passed, an id posted
	 * before with another body, or another amendment pending
	 * @throws dev.stepwise.schedule.InvalidScheduleException when the change does not fit
	 * the schedule in force (naming {@code scheduler...}, {@code extend...} or
	 * {@code decay_now...})
	 */
	public AmendmentResult amend(String id, AmendmentCommand command) {
		// no compute slot, as for an ordinary registration: what it builds is bounded by
		// Schedule.MAX_WORK and MAX_STATE_SIZE, and every rank of a job posts it at once
		return Objects.requireNonNull(this.transaction.execute((status) -> {
			SchedulerStore.Locked scheduler = this.store.lock(id);
			Optional<AmendmentRows.Row> existing = scheduler.amendment(command.amendmentId());
			AmendmentRows.Row again = null;
			if (existing.isPresent()) {
				AmendmentRecord recorded = existing.get().record();
				if (!AmendmentRecord.UNDONE.equals(recorded.status())) {
					if (!recorded.requestJson().equals(scheduler.canonical(command))) {
						throw new AmendmentConflictException("amendment_id",
								"Amendment '" + command.amendmentId()
										+ "' was posted before with another body; give a new amendment_id to change the"
										+ " schedule again.",
								scheduler.lastEpoch());
					}
					return new AmendmentResult(scheduler.view(), recorded, false);
				}
				again = existing.get();
			}
			long atEpoch = (command.atEpoch() != null) ? command.atEpoch() : scheduler.lastEpoch();
			check(scheduler, command, atEpoch, existing.isPresent());
			Schedule inForce = scheduler.schedule();
			ScheduleAmendment.Change change = command.change();
			long amendment = scheduler.pend(command, atEpoch, again);
			if (atEpoch == scheduler.lastEpoch()) {
				ScheduleState state = scheduler.state();
				scheduler.applyNow(amendment, ScheduleAmendment.amend(inForce, state, change, command.continuous(),
						scheduler.registeredGroups()));
			}
			else {
				// refused now what would be refused at its epoch
				ScheduleAmendment.check(inForce, atEpoch, change, scheduler.registeredGroups());
			}
			AmendmentRecord recorded = scheduler.amendment(command.amendmentId()).orElseThrow().record();
			return new AmendmentResult(scheduler.view(), recorded, true);
		}));
	}

	private static void check(SchedulerStore.Locked scheduler, AmendmentCommand command, long atEpoch, boolean posted) {
		long lastEpoch = scheduler.lastEpoch();
		if (atEpoch < lastEpoch || atEpoch < scheduler.stepPosition()) {
			throw new AmendmentConflictException("at_epoch",
					"Epoch " + atEpoch + " has passed: the scheduler's" + " last_epoch is " + lastEpoch
							+ ", so a rank may have stepped past it with the schedule in" + " force; amend at "
							+ (long) Math.ceil(scheduler.stepPosition()) + " or later.",
					lastEpoch);
		}
		if (atEpoch > Schedule.MAX_EPOCH) {
			throw new InvalidRequestException("at_epoch", "must be at most " + Schedule.MAX_EPOCH + ", got " + atEpoch);
		}
		Optional<Long> pending = scheduler.pendingEpoch();
		if (pending.isPresent()) {
			throw new AmendmentConflictException("at_epoch",
					"An amendment is pending at epoch " + pending.get()
							+ "; one amendment may be pending at a time: post this one once that epoch is reached.",
					lastEpoch);
		}
		if (!posted && scheduler.amendmentCount() >= Limits.MAX_AMENDMENTS) {
			throw new InvalidRequestException("amendment_id",
					"this scheduler has " + Limits.MAX_AMENDMENTS + " amendments, the most it may have");
		}
	}

	/**
	 * The amendments of scheduler {@code id} (at most {@link Limits#MAX_AMENDMENTS}) and
	 * the spec in force.
	 */
	@Transactional(readOnly = true)
	public Amendments amendments(String id) {
		return this.store.amendments(id);
	}

}
