package dev.stepwise.scheduler;

import java.time.Instant;

/**
 * A registered scheduler: its state, its registration and its timestamps.
 *
 * @param position where it stands
 * @param specJson the normalised spec (every default filled in) as JSON
 * @param initialParamGroupsJson the param groups as registered, as JSON
 * @param createdAt when it was registered
 * @param updatedAt when its state last changed
 */
public record SchedulerDetails(SchedulerPosition position, String specJson, String initialParamGroupsJson,
		Instant createdAt, Instant updatedAt) {

}
