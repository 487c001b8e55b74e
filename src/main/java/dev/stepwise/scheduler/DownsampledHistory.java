package dev.stepwise.scheduler;

import java.util.List;

/**
 * The records of a range of a scheduler's history, downsampled when there are too many.
 *
 * @param items the records in epoch order: all of the range's, or those
 * {@link M4Selection} chose
 * @param totalRecords how many records the range holds
 * @param downsampled whether {@code items} is a choice rather than all of them
 */
public record DownsampledHistory(List<HistoryEntry> items, long totalRecords, boolean downsampled) {

}
