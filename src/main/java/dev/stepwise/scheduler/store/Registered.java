package dev.stepwise.scheduler.store;

/**
 * What a registration stores besides the state: the validated spec and the body it came
 * from.
 *
 * @param type the scheduler type
 * @param specJson the normalised spec
 * @param requestJson the canonical registration body, compared on re-registration
 * @param initialParamGroupsJson the param groups as registered
 */
public record Registered(String type, String specJson, String requestJson, String initialParamGroupsJson) {

}
