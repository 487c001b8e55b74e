/**
 * Cross-cutting configuration: the {@code stepwise.*} properties, how strictly JSON is
 * read, and the durability setting of the embedded H2 database.
 */
@NullMarked
package dev.stepwise.system;

import org.jspecify.annotations.NullMarked;
