package dev.stepwise.schedule;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Progress;

/**
 * The {@code LRScheduler} base class: construction sets {@code initial_lr} by setdefault
 * and takes the initial step, {@code step()} increments {@code _step_count} and
 * {@code last_epoch} and writes {@code get_lr()} into the groups,
 * {@code _update_lr(epoch)} uses the closed form where the class has one.
 *
 * @see <a href=
 * "https://github.com/pytorch/pytorch/blob/main/torch/optim/lr_scheduler.py">LRScheduler</a>
 */
sealed interface Chainable extends LrScheduler permits LambdaLR, MultiplicativeLR, StepLR, MultiStepLR, ConstantLR,
		Ramp, ExponentialLR, CosineAnnealingLR, CyclicLR, OneCycleLR {

	/**
	 * {@code get_lr()}: the new lr of every group, from the state after
	 * {@code last_epoch} was advanced. May write momentum into the groups (the cyclers
	 * do).
	 * @param progress the scheduler's attributes, {@code last_epoch} already advanced
	 * @param optimizer the groups, holding the current lrs
	 * @param initial whether this is the initial step ({@code _is_initial})
	 */
	double[] lr(Progress progress, Optimizer optimizer, boolean initial);

	/** {@code _get_closed_form_lr()}, or {@code null} where PyTorch has none. */
	default double @Nullable [] closedFormLr(Progress progress) {
		return null;
	}

	/**
	 * The most steps a fast-forward replays exactly where the lr changes at every step;
	 * beyond, it takes PyTorch's closed form, which differs from the recursion by
	 * rounding (measured within a few hundredths of the parity tolerance by
	 * {@code closed_form_deviation.py}). Far above every golden trace and fuzz case
	 * (fast-forwards up to 4,500 and 600), so those stay bit-identical, and still cheap:
	 * 10^4 steps of 1,024 groups are about 10^7 work units.
	 */
	long EXACT_STEPS = 10_000;

	/**
	 * The work of {@link #jump} per group, or -1 where the fast-forward must step.
	 * Decides what {@link #jump} does, so the cost is known before the work.
	 */
	default long jumpCost(Progress progress, long steps) {
		return -1;
	}

	/**
	 * The state {@code steps} epochs on without taking every step, where
	 * {@link #jumpCost} is not -1.
	 */
	default Progress jump(Progress progress, Optimizer optimizer, long steps) {
		throw new IllegalStateException(type() + " does not jump");
	}

	@Override
	default NodeState fastForward(NodeState state, Optimizer optimizer, long steps) {
		Progress progress = (Progress) state;
		if (steps > 0 && jumpCost(progress, steps) >= 0) {
			return jump(progress, optimizer, steps);
		}
		return LrScheduler.super.fastForward(state, optimizer, steps);
	}

	@Override
	default long fastForwardCost(NodeState state, long steps) {
		long cost = jumpCost((Progress) state, steps);
		return (cost >= 0) ? cost : LrScheduler.super.fastForwardCost(state, steps);
	}

	/**
	 * The state after a jump of {@code steps}: {@code last_epoch} and {@code _step_count}
	 * advanced as every step advances them, and {@code values} written as the last step's
	 * lr.
	 */
	static Progress jumped(Progress progress, long steps, double[] values, Optimizer optimizer) {
		return new Progress(progress.lastEpoch() + steps, progress.stepCount() + steps, progress.baseLrs(),
				optimizer.writeLr(values));
	}

	/**
	 * {@code lr · factor} applied {@code times} times, as that many steps of a
	 * multiplicative rule compute it (each rounded).
	 */
	static double[] repeatedly(Optimizer optimizer, double factor, long times) {
		double[] values = optimizer.lrs();
		for (int i = 0; i < values.length; i++) {
			double value = values[i];
			for (long k = 0; k < times; k++) {
				value = value * factor;
			}
			values[i] = value;
		}
		return values;
	}

	/**
	 * {@code _get_closed_form_lr()} at {@code epoch} where it can stand in for the
	 * recursion from construction: from epoch 0, finite, and raising nothing the
	 * recursion would not (PyTorch's {@code **} raises on overflow where the recursion's
	 * products reach infinity); else {@code null}.
	 */
	default double @Nullable [] closedFormFromStart(Progress progress, long epoch) {
		if (progress.lastEpoch() != 0 || progress.stepCount() != 1) {
			return null;
		}
		try {
			double[] values = closedFormLr(progress.withLastEpoch(epoch));
			if (values == null) {
				return null;
			}
			for (double value : values) {
				if (!Double.isFinite(value)) {
					return null;
				}
			}
			return values;
		}
		catch (StepException ex) {
			return null;
		}
	}

	/**
	 * The lrs at {@code to} of a rule that multiplies by {@code factor} at
	 * {@code changing} of the steps on the way: replayed exactly up to
	 * {@link #EXACT_STEPS} such steps, else the closed form where {@code closedFormHolds}
	 * and it is usable, else replayed.
	 */
	default double[] decayed(Progress progress, Optimizer optimizer, long to, double factor, long changing,
			boolean closedFormHolds) {
		double[] closed = (changing > EXACT_STEPS && closedFormHolds) ? closedFormFromStart(progress, to) : null;
		return (closed != null) ? closed : repeatedly(optimizer, factor, changing);
	}

	/** The work of {@link #decayed} per group. */
	default long decayCost(Progress progress, long to, long changing, boolean closedFormHolds) {
		boolean closed = changing > EXACT_STEPS && closedFormHolds && closedFormFromStart(progress, to) != null;
		return closed ? 1 : LrScheduler.plus(1, changing);
	}

	@Override
	default NodeState construct(Optimizer optimizer) {
		optimizer.setDefaultInitialLr();
		Progress progress = new Progress(-1, 0, optimizer.initialLr.clone(), optimizer.lrs());
		return initialStep(progress, optimizer);
	}

	@Override
	default NodeState initialStep(NodeState state, Optimizer optimizer) {
		Progress progress = (Progress) state;
		return advance(new Progress(progress.lastEpoch(), 0, progress.baseLrs(), progress.lastLr()), optimizer, true);
	}

	@Override
	default NodeState step(NodeState state, Optimizer optimizer, double metric) {
		return advance((Progress) state, optimizer, false);
	}

	private Progress advance(Progress progress, Optimizer optimizer, boolean initial) {
		return advance(progress, optimizer, initial, progress.lastEpoch() + 1);
	}

	/**
	 * {@link #advance(Progress, Optimizer, boolean)} with {@code get_lr()} evaluated at
	 * {@code position}: a closed form's lr does not depend on the state before it.
	 */
	@Override
	default NodeState stepAt(NodeState state, Optimizer optimizer, long position) {
		return advance((Progress) state, optimizer, false, position);
	}

	private Progress advance(Progress progress, Optimizer optimizer, boolean initial, long position) {
		Progress next = new Progress(progress.lastEpoch() + 1, progress.stepCount() + 1, progress.baseLrs(),
				progress.lastLr());
		// get_lr() returns a fresh array that the optimizer copies, so it can be _last_lr
		// as it is.
		Progress at = (position == next.lastEpoch()) ? next : next.withLastEpoch(position);
		double[] values = optimizer.writeLr(lr(at, optimizer, initial));
		return new Progress(next.lastEpoch(), next.stepCount(), next.baseLrs(), values);
	}

	@Override
	default NodeState undo(NodeState state) {
		Progress progress = (Progress) state;
		return progress.withLastEpoch(progress.lastEpoch() - 1);
	}

	@Override
	default NodeState restart(NodeState state, Optimizer optimizer) {
		Progress atZero = ((Progress) state).withLastEpoch(0);
		double[] closed = closedFormLr(atZero);
		double[] values = optimizer.writeLr((closed != null) ? closed : lr(atZero, optimizer, false));
		return new Progress(0, atZero.stepCount(), atZero.baseLrs(), values);
	}

	@Override
	default Map<String, Object> stateDict(NodeState state) {
		return progressDict((Progress) state, hyperparameters());
	}

	/**
	 * The base class's keys after the hyperparameters, as PyTorch orders
	 * {@code __dict__}.
	 */
	static Map<String, Object> progressDict(Progress progress, Map<String, @Nullable Object> hyperparameters) {
		Map<String, Object> dict = new LinkedHashMap<>();
		StateWriter.putHyperparameters(dict, hyperparameters);
		dict.put("base_lrs", StateWriter.list(progress.baseLrs()));
		dict.put("last_epoch", progress.lastEpoch());
		dict.put("_step_count", progress.stepCount());
		dict.put("_last_lr", StateWriter.list(progress.lastLr()));
		return dict;
	}

	@Override
	default NodeState readState(StateReader reader) {
		return reader.progress();
	}

	/**
	 * {@code [group["lr"] for group in param_groups]}: the rule leaves the lr as it is.
	 * Shared: not to be written.
	 */
	static double[] unchanged(Optimizer optimizer) {
		return optimizer.currentLr();
	}

	/** {@code [base_lr * factor for base_lr in base_lrs]}. */
	static double[] times(double[] baseLrs, double factor) {
		double[] values = new double[baseLrs.length];
		for (int i = 0; i < values.length; i++) {
			values[i] = baseLrs[i] * factor;
		}
		return values;
	}

	/** {@code [group["lr"] * factor for group in param_groups]}. */
	static double[] scaled(Optimizer optimizer, double factor) {
		double[] values = optimizer.lrs();
		for (int i = 0; i < values.length; i++) {
			values[i] = values[i] * factor;
		}
		return values;
	}

}
