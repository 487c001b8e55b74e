package dev.stepwise.scheduler;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One record of a scheduler's history, without its state document.
 *
 * @param lastEpoch PyTorch's {@code last_epoch} after the step
 * @param position the epoch stepped to: {@code lastEpoch}, or a fractional epoch of
 * CosineAnnealingWarmRestarts
 * @param metric the metric the step was given, or {@code null}
 * @param paramGroupsJson the param groups after the step, as the API writes them
 * @param recordedAt when the step was taken
 * @param attempt the training attempt that took the step, or {@code null}
 * @param consumed the tokens or samples consumed so far, for a schedule in that unit;
 * else {@code null}
 */
public record HistoryEntry(long lastEpoch, double position, @Nullable Double metric, String paramGroupsJson,
		Instant recordedAt, @Nullable String attempt, @Nullable Long consumed) {

	/** A record of a schedule in steps. */
	public HistoryEntry(long lastEpoch, double position, @Nullable Double metric, String paramGroupsJson,
			Instant recordedAt, @Nullable String attempt) {
		this(lastEpoch, position, metric, paramGroupsJson, recordedAt, attempt, null);
	}

	/** A record without an attempt. */
	public HistoryEntry(long lastEpoch, double position, @Nullable Double metric, String paramGroupsJson,
			Instant recordedAt) {
		this(lastEpoch, position, metric, paramGroupsJson, recordedAt, null);
	}

}
