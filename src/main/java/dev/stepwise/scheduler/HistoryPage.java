package dev.stepwise.scheduler;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A slice of a scheduler's history in epoch order.
 *
 * @param items the records
 * @param nextFromEpoch where the next slice starts, or {@code null} when this one reaches
 * the end
 */
public record HistoryPage(List<HistoryEntry> items, @Nullable Double nextFromEpoch) {

}
