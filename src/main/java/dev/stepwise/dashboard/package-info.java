/**
 * The dashboard: the pages a person reads the schedulers with (the jobs list, a job's
 * curves, the designer, the comparison), served by the service itself. The pages are HTML
 * templates filled once at startup; their scripts and styles are served under a path
 * named by their content hash, so that they can be cached for a year. The pages call the
 * public API from the browser: this package uses no other room of the code.
 */
@NullMarked
package dev.stepwise.dashboard;

import org.jspecify.annotations.NullMarked;
