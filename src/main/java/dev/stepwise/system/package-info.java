/**
 * Cross-cutting configuration: configuration properties, the request-size limit and the OpenAPI
 * document.
 */
@NullMarked
package dev.stepwise.system;

import org.jspecify.annotations.NullMarked;
