package dev.stepwise.scheduler.commit;

import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleState;
import dev.stepwise.scheduler.InvalidRequestException;
import dev.stepwise.scheduler.Limits;
import dev.stepwise.scheduler.StepCommand;

/**
 * What a step request must hold for its scheduler: a consumption exactly when the
 * schedule counts tokens or samples, and no more steps than the limits allow.
 */
final class StepRequirements {

	private StepRequirements() {
	}

	/**
	 * Refuses a request without {@code consumed} for a schedule in tokens or samples
	 * (400), or with one for a schedule in steps (422).
	 */
	static void checkConsumption(Schedule schedule, StepCommand command) {
		String unit = schedule.unit().jsonName();
		if (schedule.unit().counted() && command.consumed() == null) {
			throw InvalidRequestException.malformed("consumed", "is required: the schedule counts " + unit
					+ ", so every step says how many it consumed (a positive integer)");
		}
		if (!schedule.unit().counted() && command.consumed() != null) {
			throw new InvalidRequestException("consumed",
					"is for a schedule in tokens or samples; this one counts steps (register with \"unit\": \"tokens\""
							+ " in the scheduler spec to count tokens)");
		}
	}

	/**
	 * Refuses steps beyond the limits: the states they record
	 * ({@link Limits#MAX_STEP_VALUES}), the engine's work ({@link Limits#MAX_WORK}) and a
	 * position beyond 2^53.
	 */
	static void checkWithinLimits(Schedule schedule, ScheduleState current, StepCommand command) {
		int count = command.count();
		long values = (long) count * schedule.stateSize();
		if (values > Limits.MAX_STEP_VALUES) {
			throw new InvalidRequestException("count",
					"records " + count + " states of " + schedule.stateSize() + " values, more than the limit of "
							+ Limits.MAX_STEP_VALUES + " values; take at most "
							+ Limits.MAX_STEP_VALUES / schedule.stateSize() + " steps at once");
		}
		long work = schedule.cost(0, count - 1);
		if (work > Limits.MAX_WORK) {
			throw new InvalidRequestException("count", "costs " + work + " work units, more than the limit of "
					+ Limits.MAX_WORK + "; take fewer steps at once");
		}
		Long consumed = command.consumed();
		if (consumed != null && consumed > Schedule.maxConsumed(current) / count) {
			throw new InvalidRequestException("consumed",
					"would move the position beyond " + Schedule.MAX_EPOCH
							+ " (2^53, where counts stop being exact): at most " + Schedule.maxConsumed(current) / count
							+ " per step from " + current.consumed());
		}
	}

}
