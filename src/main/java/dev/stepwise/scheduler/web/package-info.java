/**
 * The HTTP API of registered schedulers: controllers, request and response records, the
 * mapping of JSON to the engine's plain-Java form, the problem types and their advice,
 * the request-size filter, and the OpenAPI document.
 */
@NullMarked
package dev.stepwise.scheduler.web;

import org.jspecify.annotations.NullMarked;
