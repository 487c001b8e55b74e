package dev.stepwise.schedule;

import org.jspecify.annotations.Nullable;

/**
 * One optimizer param group as the service reports it:
 * {@code optimizer.param_groups[i]["lr"]} and its momentum (or Adam's beta1),
 * {@code null} when none was registered and none is cycled.
 *
 * @param lr the learning rate
 * @param momentum the momentum, or {@code null}
 */
public record ParamGroup(double lr, @Nullable Double momentum) {

}
