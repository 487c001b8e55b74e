package dev.stepwise.scheduler;

import dev.stepwise.schedule.LrFinder.Suggestion;
import org.jspecify.annotations.Nullable;

/**
 * The lr finder's answer for one scheduler.
 *
 * @param id the scheduler id
 * @param type its type
 * @param beta the smoothing used
 * @param lrs the lr of each point: the first group's lr during a step's batch
 * @param losses the smoothed loss of each point
 * @param truncated whether the history holds more steps than were analysed
 * @param finishedAt the epoch a stepwise.LRRangeTest finished at, 0 while it runs,
 * {@code null} for other types
 * @param steepest Lightning's steepest descent
 * @param valley fastai's valley
 * @param numIt fastai's {@code num_it}, which sets the valley's start
 */
public record LrFinderResult(String id, String type, double beta, double[] lrs, double[] losses, boolean truncated,
		@Nullable Long finishedAt, Suggestion steepest, Suggestion valley, long numIt) {

}
