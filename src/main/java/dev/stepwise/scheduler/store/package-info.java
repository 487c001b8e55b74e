/**
 * What is stored, and every access to it: the {@code scheduler} table (a registration and
 * its current state) and the {@code scheduler_step} table (its history), each mapped once
 * for JPA (entity and repository) and once in plain JDBC for the measured hot paths
 * ({@code *Rows}), side by side; the JSON documents stored in them; and the in-memory
 * cache of what a step would otherwise rebuild.
 */
@NullMarked
package dev.stepwise.scheduler.store;

import org.jspecify.annotations.NullMarked;
