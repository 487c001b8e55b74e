package dev.stepwise.scheduler;

/**
 * What an amendment request came to.
 *
 * @param scheduler the scheduler after it
 * @param amendment the amendment as recorded
 * @param created whether this request recorded it (else the same amendment was posted
 * before)
 */
public record AmendmentResult(SchedulerDetails scheduler, AmendmentRecord amendment, boolean created) {

}
