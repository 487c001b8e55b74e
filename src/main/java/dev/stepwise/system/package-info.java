/**
 * Cross-cutting configuration: the {@code stepwise.*} properties, how strictly JSON is
 * read, and the embedded H2 database's durability setting, housekeeping and storage
 * failures.
 */
@NullMarked
package dev.stepwise.system;

import org.jspecify.annotations.NullMarked;
