/**
 * The schedule engine: every {@code torch.optim.lr_scheduler} scheduler and Hugging Face
 * schedule, step for step as PyTorch computes them.
 * <p>
 * Framework-free on purpose (only {@code java.*} and JSpecify): the web and persistence
 * layers translate to and from the plain maps and records of this package.
 */
@NullMarked
package dev.stepwise.schedule;

import org.jspecify.annotations.NullMarked;
