package dev.stepwise.schedule;

import java.util.Locale;
import java.util.Optional;

/**
 * What a schedule's position counts. PyTorch counts {@code step()} calls
 * ({@code last_epoch}); a schedule in tokens or samples counts what the steps consumed
 * (OLMo's and Megatron's {@code --lr-decay-tokens}), so that a batch size that changes
 * during the run does not change the schedule. Only the types declared
 * {@link SchedulerType#takingUnits() taking units} (an lr that is a closed form of the
 * position) may count anything but steps.
 */
public enum ScheduleUnit {

	/** {@code step()} calls: PyTorch's {@code last_epoch}. */
	STEPS,

	/** Tokens consumed: every step says how many. */
	TOKENS,

	/** Samples consumed: every step says how many. */
	SAMPLES;

	/** The name the API uses: {@code steps}, {@code tokens} or {@code samples}. */
	public String jsonName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The unit called {@code name} in the API. */
	public static Optional<ScheduleUnit> named(String name) {
		for (ScheduleUnit unit : values()) {
			if (unit.jsonName().equals(name)) {
				return Optional.of(unit);
			}
		}
		return Optional.empty();
	}

	/** Whether every step must say how much it consumed. */
	public boolean counted() {
		return this != STEPS;
	}

}
