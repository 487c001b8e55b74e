package dev.stepwise.scheduler;


/**
 * A scheduler's current state with an entity tag that changes with every step.
 *
 * @param state the state
 * @param etag a quoted HTTP entity tag
 */
public record TaggedState(SchedulerState state, String etag) {

}
