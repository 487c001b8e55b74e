package dev.stepwise.scheduler;

/**
 * A scheduler's current position with the revision of its row, which changes with every
 * step.
 *
 * @param position where the scheduler stands
 * @param rowKey the row's surrogate key: a deleted and re-registered id gets another one
 * @param rowVersion the row's version, counted up by every change
 */
public record CurrentPosition(SchedulerPosition position, long rowKey, long rowVersion) {

}
