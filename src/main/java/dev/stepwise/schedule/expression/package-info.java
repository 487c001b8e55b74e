/**
 * A small, safe evaluator for the Python lambdas PyTorch schedulers take
 * ({@code lr_lambda}, {@code scale_fn}): one integer variable, arithmetic, comparisons
 * and a handful of math functions, with CPython's exact semantics.
 * <p>
 * Framework-free on purpose (only {@code java.*} and JSpecify).
 */
@NullMarked
package dev.stepwise.schedule.expression;

import org.jspecify.annotations.NullMarked;
