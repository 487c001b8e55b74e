/**
 * Registered schedulers: persistence of their state and step history, idempotent registration and
 * stepping, resume from a checkpoint. The web layer lives in {@code web}; the engine it drives in
 * {@code dev.stepwise.schedule}.
 */
@NullMarked
package dev.stepwise.scheduler;

import org.jspecify.annotations.NullMarked;
