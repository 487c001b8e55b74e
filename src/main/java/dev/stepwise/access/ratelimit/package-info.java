/**
 * Rate limits per client: a token bucket per bearer token (or per remote address), kept
 * in a bounded cache, and the filter that answers 429 {@code rate-limited} with
 * {@code Retry-After} when a client's bucket is empty, so that one runaway job cannot
 * starve the others.
 */
@NullMarked
package dev.stepwise.access.ratelimit;

import org.jspecify.annotations.NullMarked;
