/**
 * Registered schedulers, as the web layer calls them: the services (registration, steps,
 * reads, history, resume, state documents, previews), their commands and results, their
 * exceptions, and the API's limits. What is stored lives in {@code store}, how a step is
 * committed in {@code commit}, the HTTP API in {@code web}; the engine they drive in
 * {@code dev.stepwise.schedule}.
 */
@NullMarked
package dev.stepwise.scheduler;

import org.jspecify.annotations.NullMarked;
