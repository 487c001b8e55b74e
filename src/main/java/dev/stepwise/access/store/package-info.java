/**
 * The stored tokens: their hashes, scopes and lifetimes.
 */
@NullMarked
package dev.stepwise.access.store;

import org.jspecify.annotations.NullMarked;
