package dev.stepwise.schedule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.BatchIteration;

/**
 * One of DeepSpeed's schedules ({@code deepspeed/runtime/lr_schedules.py}), which are no
 * {@code LRScheduler}s: the constructor leaves {@code last_batch_iteration} at -1 and
 * writes the lr of that iteration into the groups, and {@code step()} increments it and
 * writes {@code get_lr()}. The service's {@code last_epoch} counts the steps taken, so it
 * is {@code last_batch_iteration + 1}. The lr (and OneCycle's momentum) at an iteration
 * is a closed form of the iteration alone, so a fast-forward jumps to its end.
 * {@code state_dict()} is DeepSpeed's, {@code {"last_batch_iteration": i}}.
 * <p>
 * In a ChainedScheduler a DeepSpeed schedule steps as PyTorch's ChainedScheduler steps it
 * (with {@code step()}), and writes an absolute lr. A SequentialLR refuses one anywhere
 * inside it: PyTorch's SequentialLR calls {@code _initial_step()} on its first child and
 * reads {@code initial_lr} from the groups, neither of which DeepSpeed's classes have.
 */
sealed interface DeepSpeedLrSchedule extends LrScheduler permits DeepSpeedSchedules.WarmupLR,
		DeepSpeedSchedules.WarmupCosineLR, DeepSpeedSchedules.OneCycle, DeepSpeedSchedules.LRRangeTest {

	/**
	 * {@code get_lr()} at {@code last_batch_iteration = iteration}; writes the momentum
	 * where the type cycles it.
	 * @param iteration the batch iteration, {@code >= -1}
	 * @param optimizer the groups
	 * @return a fresh array, one lr per group
	 * @throws StepException where DeepSpeed raises (a division by zero)
	 */
	double[] lr(long iteration, Optimizer optimizer);

	/** Checks every iteration in {@code (from, to)} at which {@link #lr} may raise. */
	default void checkBetween(long from, long to) {
	}

	@Override
	default NodeState construct(Optimizer optimizer) {
		optimizer.writeLr(lr(-1, optimizer));
		return new BatchIteration(-1);
	}

	@Override
	default NodeState step(NodeState state, Optimizer optimizer, double metric) {
		long iteration = ((BatchIteration) state).lastBatchIteration() + 1;
		optimizer.writeLr(lr(iteration, optimizer));
		return new BatchIteration(iteration);
	}

	/**
	 * The step that lands at {@code position} (tokens or samples consumed): the iteration
	 * {@code position - 1}, as {@code position} steps reach it.
	 */
	@Override
	default NodeState stepAt(NodeState state, Optimizer optimizer, long position) {
		return step(new BatchIteration(position - 2), optimizer, Double.NaN);
	}

	@Override
	default NodeState fastForward(NodeState state, Optimizer optimizer, long steps) {
		if (steps == 0) {
			return state;
		}
		long from = ((BatchIteration) state).lastBatchIteration();
		checkBetween(from, from + steps);
		return step(new BatchIteration(from + steps - 1), optimizer, Double.NaN);
	}

	/** A jump: the closed form at the end, and the few iterations that may raise. */
	@Override
	default long fastForwardCost(NodeState state, long steps) {
		return 4;
	}

	/**
	 * No {@code last_epoch} to rewind: PyTorch's {@code recursive_undo} skips the object.
	 */
	@Override
	default NodeState undo(NodeState state) {
		return state;
	}

	@Override
	default NodeState initialStep(NodeState state, Optimizer optimizer) {
		throw new IllegalStateException(type() + " has no _initial_step; SequentialLR refuses it");
	}

	@Override
	default NodeState restart(NodeState state, Optimizer optimizer) {
		throw new IllegalStateException(type() + " is refused inside a SequentialLR");
	}

	/** DeepSpeed's {@code state_dict()} holds no hyperparameters. */
	@Override
	default Map<String, @Nullable Object> hyperparameters() {
		return Map.of();
	}

	@Override
	default Map<String, Object> stateDict(NodeState state) {
		Map<String, Object> dict = new LinkedHashMap<>();
		dict.put("last_batch_iteration", ((BatchIteration) state).lastBatchIteration());
		return dict;
	}

	@Override
	default NodeState readState(StateReader reader) {
		return new BatchIteration(reader.counter("last_batch_iteration", -1));
	}

	/**
	 * Refuses a DeepSpeed schedule anywhere among a SequentialLR's children (see the
	 * class comment).
	 */
	static void refuseInSequential(ArgumentReader arguments, List<LrScheduler> children) {
		for (int i = 0; i < children.size(); i++) {
			String nested = nested(children.get(i));
			if (nested != null) {
				throw arguments.invalid("schedulers[" + i + "]", "holds " + nested
						+ ", which a SequentialLR cannot run: DeepSpeed's schedules have no _initial_step() and set no"
						+ " initial_lr; use it alone or in a ChainedScheduler (its warmup is part of it)");
			}
		}
	}

	/** The type of the first DeepSpeed schedule in {@code scheduler}, else null. */
	private static @Nullable String nested(LrScheduler scheduler) {
		if (scheduler instanceof DeepSpeedLrSchedule) {
			return scheduler.type();
		}
		if (scheduler instanceof Composite composite) {
			for (LrScheduler child : composite.children()) {
				String nested = nested(child);
				if (nested != null) {
					return nested;
				}
			}
		}
		return null;
	}

	/** What DeepSpeed's Python raises, as a refused step. */
	static StepException raises(String pythonMessage) {
		return new StepException(StepException.Reason.REFUSED, "DeepSpeed raises here: " + pythonMessage);
	}

}
