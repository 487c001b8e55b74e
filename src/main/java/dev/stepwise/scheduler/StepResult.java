package dev.stepwise.scheduler;

/**
 * The outcome of a step.
 *
 * @param position the position the step produced (or had produced, when replayed)
 * @param replayed whether the epoch had been stepped to before and was answered from the
 * history
 */
public record StepResult(SchedulerPosition position, boolean replayed) {

}
