/**
 * The HTTP API of registered schedulers: controllers, request and response records, the mapping of
 * the scheduler spec between JSON and the engine's plain-Java form, and the problem responses.
 */
@NullMarked
package dev.stepwise.scheduler.web;

import org.jspecify.annotations.NullMarked;
