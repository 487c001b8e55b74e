package dev.stepwise.scheduler;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A resume or state PUT, where it cut the history.
 *
 * @param restoredBy {@link AttemptRecord#BY_RESUME} or {@link AttemptRecord#BY_STATE}
 * @param epoch the epoch restored: the history after it was discarded
 * @param discardedTo the last recorded position before the cut, {@code null} when there
 * was none
 * @param attempt the training attempt that restored it, or {@code null}
 * @param restoredAt when
 */
public record RestoreRecord(String restoredBy, long epoch, @Nullable Double discardedTo, @Nullable String attempt,
		Instant restoredAt) {

}
