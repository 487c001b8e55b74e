/**
 * Who may call the API: access tokens (a scope of scheduler ids and read or write
 * access), minted and revoked with the admin token, stored as SHA-256 hashes only.
 * {@code store} keeps them, {@code web} authenticates requests and serves
 * {@code /api/v1/tokens}.
 */
@NullMarked
package dev.stepwise.access;

import org.jspecify.annotations.NullMarked;
