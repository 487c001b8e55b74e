package dev.stepwise.schedule;

import java.util.List;

/**
 * Where a schedule stands: {@code last_epoch}, the optimizer's param groups and every scheduler's
 * own counters. Immutable; produced and consumed by {@link Schedule}.
 */
public final class ScheduleState {

	private ScheduleState() {
		throw new UnsupportedOperationException("in progress");
	}

	/** The number of {@code step()} calls since registration, as PyTorch's {@code last_epoch}. */
	public long lastEpoch() {
		throw new UnsupportedOperationException("in progress");
	}

	/** The param groups as the trainer must apply them. */
	public List<ParamGroup> paramGroups() {
		throw new UnsupportedOperationException("in progress");
	}

}
