/**
 * Authentication over HTTP: the security filter chain, its bearer token filter, and the
 * token management API ({@code /api/v1/tokens}).
 */
@NullMarked
package dev.stepwise.access.web;

import org.jspecify.annotations.NullMarked;
