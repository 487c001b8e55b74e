package dev.stepwise.scheduler;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the lr finder reads of a scheduler: its type, spec and state document, and the
 * first group's lr and the metric of the first records of its history, in epoch order.
 *
 * @param type the scheduler type
 * @param spec the normalised spec
 * @param state the current state document
 * @param lrs the first group's lr of each record read
 * @param metrics the metric of each record read, {@code null} where a step had none
 * @param more whether the history holds more records than were read
 */
public record LossRecords(String type, Map<String, Object> spec, Map<String, Object> state, double[] lrs,
		@Nullable Double[] metrics, boolean more) {

}
