package dev.stepwise.schedule;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A registered schedule: a validated scheduler spec on a given set of param groups, and the
 * operations PyTorch offers on it ({@code __init__}, {@code step()}, {@code state_dict()}).
 * <p>
 * Immutable and thread-safe; every operation is a pure function from one {@link ScheduleState} to
 * the next. Build one with {@link #of(Map, List)}.
 */
public final class Schedule {

	private Schedule() {
		throw new UnsupportedOperationException("in progress");
	}

	/**
	 * Parses and validates a scheduler spec, as PyTorch's constructor would on these param groups.
	 * @param spec the {@code scheduler} object of a request as plain Java values: {@code String},
	 * {@code Long} for JSON integers, {@code Double} for JSON decimals, {@code Boolean}, {@code List},
	 * {@code Map}, {@code null}
	 * @param groups the optimizer's param groups at registration
	 * @return the schedule
	 * @throws InvalidScheduleException when PyTorch would not build it (field paths start with
	 * {@code scheduler.})
	 */
	public static Schedule of(Map<String, ?> spec, List<ParamGroup> groups) {
		throw new UnsupportedOperationException("in progress");
	}

	/** The scheduler type, e.g. {@code OneCycleLR} or {@code cosine}. */
	public String type() {
		throw new UnsupportedOperationException("in progress");
	}

	/** The spec with every default filled in, in the same plain-Java form {@link #of} takes. */
	public Map<String, Object> normalizedSpec() {
		throw new UnsupportedOperationException("in progress");
	}

	/** Whether every step needs a metric (ReduceLROnPlateau). */
	public boolean requiresMetric() {
		throw new UnsupportedOperationException("in progress");
	}

	/** Whether {@link #stepTo} takes fractional epochs (CosineAnnealingWarmRestarts). */
	public boolean acceptsFractionalEpochs() {
		throw new UnsupportedOperationException("in progress");
	}

	/**
	 * The state after construction, fast-forwarded by {@code lastEpoch} metric-less steps.
	 * @param lastEpoch 0 (or -1, PyTorch's default, meaning the same) or the number of steps already taken
	 * @return the state at {@code lastEpoch}
	 * @throws InvalidScheduleException when the schedule needs metrics and {@code lastEpoch >= 1}, or
	 * when PyTorch would raise on the way
	 */
	public ScheduleState start(long lastEpoch) {
		throw new UnsupportedOperationException("in progress");
	}

	/**
	 * One {@code step()} (or {@code step(metric)} for ReduceLROnPlateau).
	 * @param state the current state
	 * @param metric the validation metric; may be NaN or infinite; ignored by schedulers that take none
	 * @return the next state, {@code last_epoch + 1}
	 * @throws StepException when PyTorch raises in this step or a required metric is missing
	 */
	public ScheduleState step(ScheduleState state, @Nullable Double metric) {
		throw new UnsupportedOperationException("in progress");
	}

	/**
	 * A step to an explicit, possibly fractional epoch: CosineAnnealingWarmRestarts'
	 * {@code step(epoch)}, which sets the position by its closed form. For other types an integral
	 * {@code epoch == last_epoch + 1} is the same as {@link #step}.
	 * @param state the current state
	 * @param epoch the epoch to step to
	 * @param metric the validation metric, or {@code null}
	 * @return the state at {@code epoch} ({@code last_epoch = floor(epoch)})
	 * @throws StepException when the type takes no fractional epochs or PyTorch raises
	 */
	public ScheduleState stepTo(ScheduleState state, double epoch, @Nullable Double metric) {
		throw new UnsupportedOperationException("in progress");
	}

	/**
	 * The states after registration and after each of {@code steps} steps, computed without storing.
	 * @param lastEpoch as for {@link #start}
	 * @param steps how many steps to take
	 * @param metrics one metric per step for schedulers that need them (others may pass an empty list)
	 * @return {@code steps + 1} states
	 */
	public List<ScheduleState> preview(long lastEpoch, int steps, List<@Nullable Double> metrics) {
		throw new UnsupportedOperationException("in progress");
	}

	/**
	 * The full internal state as a document named like PyTorch's {@code state_dict()} keys
	 * ({@code last_epoch}, {@code _step_count}, {@code base_lrs}, {@code _last_lr}, {@code best},
	 * {@code T_cur}, {@code _schedulers}, ...) plus {@code param_groups} (the optimizer side:
	 * {@code lr}, {@code momentum}, {@code initial_lr}, ...). Plain Java values; non-finite doubles
	 * stay doubles (the JSON layer writes them as strings). Lossless: {@link #fromStateDict} of it
	 * gives back an equal state.
	 */
	public Map<String, Object> stateDict(ScheduleState state) {
		throw new UnsupportedOperationException("in progress");
	}

	/**
	 * Reads a document written by {@link #stateDict}; non-finite numbers may be given as the strings
	 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
	 * @throws InvalidStateException when the document does not fit this schedule
	 */
	public ScheduleState fromStateDict(Map<String, ?> document) {
		throw new UnsupportedOperationException("in progress");
	}

}
