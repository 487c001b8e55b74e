package dev.stepwise.scheduler;

import java.util.List;

/**
 * A scheduler's amendments and the spec they put in force.
 *
 * @param specInForceJson the normalised spec in force, as JSON
 * @param records every amendment, in the order they were posted
 */
public record Amendments(String specInForceJson, List<AmendmentRecord> records) {

}
