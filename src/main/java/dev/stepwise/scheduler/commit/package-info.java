/**
 * Where a step is committed: request threads queue their steps, writer threads take them
 * in batches, apply them to each scheduler's locked state in order and commit a batch in
 * one transaction, and a step is answered only once its batch's commit is done (group
 * commit).
 */
@NullMarked
package dev.stepwise.scheduler.commit;

import org.jspecify.annotations.NullMarked;
