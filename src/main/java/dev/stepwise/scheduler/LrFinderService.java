package dev.stepwise.scheduler;

import dev.stepwise.schedule.LossSmoothing;
import dev.stepwise.schedule.LrFinder;
import dev.stepwise.schedule.LrFinder.Curve;
import dev.stepwise.scheduler.store.SchedulerStore;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The learning rate finder: the smoothed loss against the lr of a scheduler's first
 * {@link Limits#MAX_LR_FINDER_POINTS} steps, read from its history, and the lr
 * Lightning's and fastai's rules suggest ({@link LrFinder}). Each point pairs the lr
 * recorded before a step (the lr its batch trained with) with the metric posted with the
 * step, the loss of that batch.
 */
@Service
public class LrFinderService {

	/** The type whose spec sets the smoothing, the valley's start and the finish. */
	static final String RANGE_TEST = "stepwise.LRRangeTest";

	private final SchedulerStore store;

	private final ComputeBulkhead bulkhead;

	LrFinderService(SchedulerStore store, ComputeBulkhead bulkhead) {
		this.store = store;
		this.bulkhead = bulkhead;
	}

	/**
	 * The curve and both suggestions.
	 * @param id the scheduler
	 * @param skipBegin Lightning's {@code skip_begin}, {@code >= 0}
	 * @param skipEnd Lightning's {@code skip_end}, {@code >= 1}
	 * @param beta the smoothing, or {@code null} for the range test's (else 0.98)
	 * @throws SchedulerNotFoundException for an unknown id
	 * @throws ComputeBusyException when every compute slot is busy (the valley is
	 * quadratic in the points)
	 */
	@Transactional(readOnly = true)
	public LrFinderResult analyse(String id, int skipBegin, int skipEnd, @Nullable Double beta) {
		return this.bulkhead.slot(() -> {
			// the registration's record, then one per step
			LossRecords records = this.store.lossRecords(id, Limits.MAX_LR_FINDER_POINTS + 1);
			boolean rangeTest = RANGE_TEST.equals(records.type());
			double smoothing = (beta != null) ? beta : (rangeTest && records.spec().get("beta") instanceof Number given)
					? given.doubleValue() : LossSmoothing.DEFAULT_BETA;
			int points = Math.max(0, records.lrs().length - 1);
			Curve curve = new Curve(smoothing, points);
			for (int i = 0; i < points; i++) {
				curve.add(records.lrs()[i], records.metrics()[i + 1]);
			}
			double[] lrs = curve.lrs();
			double[] losses = curve.losses();
			long numIt = (rangeTest && records.spec().get("num_steps") instanceof Number steps) ? steps.longValue()
					: points;
			Long finishedAt = (rangeTest && records.state().get("finished_at") instanceof Number at) ? at.longValue()
					: null;
			return new LrFinderResult(id, records.type(), smoothing, lrs, losses, records.more(), finishedAt,
					LrFinder.steepest(lrs, losses, skipBegin, skipEnd), LrFinder.valley(lrs, losses, numIt), numIt);
		});
	}

}
