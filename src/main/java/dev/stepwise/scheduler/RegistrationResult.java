package dev.stepwise.scheduler;

/**
 * The outcome of a registration.
 *
 * @param scheduler the registered scheduler
 * @param created whether this call created it (rather than finding an identical
 * registration)
 */
public record RegistrationResult(SchedulerDetails scheduler, boolean created) {

}
