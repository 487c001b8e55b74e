package dev.stepwise.scheduler;


/**
 * The outcome of a step.
 *
 * @param state the state the step produced (or had produced, when replayed)
 * @param replayed whether the epoch had been stepped to before and was answered from the history
 */
public record StepResult(SchedulerState state, boolean replayed) {

}
