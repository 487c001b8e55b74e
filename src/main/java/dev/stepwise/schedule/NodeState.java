package dev.stepwise.schedule;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One scheduler's own attributes, as in its PyTorch {@code state_dict()}; composites nest
 * their children's. Immutable: arrays are never written after construction.
 */
sealed interface NodeState {

	/**
	 * What every {@code LRScheduler} holds: {@code last_epoch}, {@code _step_count},
	 * {@code base_lrs} and {@code _last_lr}.
	 */
	record Progress(long lastEpoch, long stepCount, double[] baseLrs, double[] lastLr) implements NodeState {

		Progress withLastEpoch(long epoch) {
			return new Progress(epoch, this.stepCount, this.baseLrs, this.lastLr);
		}

	}

	/** CosineAnnealingWarmRestarts: the base attributes plus the cycle position. */
	record WarmRestarts(Progress progress, double tCur, long tI) implements NodeState {

	}

	/** ReduceLROnPlateau's counters. */
	record Plateau(long lastEpoch, double best, long numBadEpochs, long cooldownCounter,
			double[] lastLr) implements NodeState {

	}

	/** SequentialLR: its own epoch and its children. */
	record Sequential(long lastEpoch, double[] lastLr, List<NodeState> children) implements NodeState {

	}

	/**
	 * A DeepSpeed schedule: DeepSpeed's {@code state_dict()}, the batch iteration alone.
	 */
	record BatchIteration(long lastBatchIteration) implements NodeState {

	}

	/** ChainedScheduler: only its children (it has no {@code last_epoch} in PyTorch). */
	record Chained(double[] lastLr, List<NodeState> children) implements NodeState {

	}

	/**
	 * stepwise.LRRangeTest: Lightning's {@code _LRCallback} attributes (the running
	 * average and best smoothed loss) and where the test finished (0 while it runs).
	 */
	record RangeTest(long lastEpoch, double avgLoss, double bestLoss, double smoothedLoss, long finishedAt,
			double[] lastLr) implements NodeState {

	}

	/**
	 * stepwise.WarmupPlateau: its epoch, the warmup's attributes and, from the end of the
	 * warmup on, the plateau's counters.
	 */
	record WarmupThenPlateau(long lastEpoch, Progress warmup, @Nullable Plateau plateau) implements NodeState {

	}

	/** stepwise.PerGroup: one state per param group, each on that group alone. */
	record PerGroupStates(List<NodeState> children) implements NodeState {

	}

}
