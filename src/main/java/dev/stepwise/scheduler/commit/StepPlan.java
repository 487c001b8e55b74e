package dev.stepwise.scheduler.commit;

import dev.stepwise.schedule.StepException;
import dev.stepwise.scheduler.EpochConflictException;
import dev.stepwise.scheduler.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/**
 * What a step request asks for, given where the scheduler stands: a new step to a
 * position, or the replay of a recorded one.
 *
 * @param replay whether the position was stepped to before
 * @param position the epoch to step to or to replay
 * @param explicit whether the request named the epoch
 */
record StepPlan(boolean replay, double position, boolean explicit) {

	/**
	 * Decides a step request.
	 * @param lastEpoch the scheduler's {@code last_epoch}
	 * @param position the epoch last stepped to ({@code lastEpoch} or, after fractional
	 * steps, more)
	 * @param epoch the requested epoch, or {@code null} for the next one
	 * @param fractional whether the schedule takes fractional epochs
	 * @return the plan
	 * @throws StepException for a fractional epoch the schedule cannot take
	 * @throws EpochConflictException for a gap
	 */
	static StepPlan of(long lastEpoch, double position, @Nullable Double epoch, boolean fractional) {
		return of(lastEpoch, position, epoch, fractional, 1);
	}

	/**
	 * Decides a request of {@code count} steps, whose {@code epoch} names the
	 * {@code last_epoch} the last of them produces: a replay when that epoch was stepped
	 * to, else the steps must start at {@code last_epoch + 1}.
	 * @throws InvalidRequestException for a fractional epoch with more than one step
	 * @throws EpochConflictException for a gap, or steps of which only some were taken
	 */
	static StepPlan of(long lastEpoch, double position, @Nullable Double epoch, boolean fractional, int count) {
		if (count > 1 && epoch != null && epoch != Math.rint(epoch)) {
			throw new InvalidRequestException("count",
					"must be 1 with a fractional epoch: several steps go from one integral epoch to the next");
		}
		if (epoch == null) {
			return new StepPlan(false, lastEpoch + count, false);
		}
		if (count > 1 && epoch > position && epoch - count + 1 <= lastEpoch) {
			throw EpochConflictException.partlyTaken((long) (double) epoch, count, lastEpoch);
		}
		double target = epoch;
		double first = target - (count - 1);
		boolean integral = target == Math.rint(target);
		if (!integral && !fractional) {
			throw new StepException(StepException.Reason.FRACTIONAL_EPOCH_UNSUPPORTED,
					"This scheduler takes integral epochs only; only CosineAnnealingWarmRestarts takes fractional ones.");
		}
		if (target <= position) {
			return new StepPlan(true, target, true);
		}
		if (Math.floor(first) > lastEpoch + 1) {
			throw EpochConflictException.gap(format(target), lastEpoch);
		}
		return new StepPlan(false, target, true);
	}

	/** An epoch as a user wrote it: {@code 12}, or {@code 10.25}. */
	static String format(double epoch) {
		return (epoch == Math.rint(epoch) && Math.abs(epoch) < 1e15) ? Long.toString((long) epoch)
				: Double.toString(epoch);
	}

}
