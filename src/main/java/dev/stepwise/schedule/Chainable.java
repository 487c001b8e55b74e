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
		LinearLR, ExponentialLR, PolynomialLR, CosineAnnealingLR, CyclicLR, OneCycleLR {

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
		Progress next = new Progress(progress.lastEpoch() + 1, progress.stepCount() + 1, progress.baseLrs(),
				progress.lastLr());
		// get_lr() returns a fresh array that the optimizer copies, so it can be _last_lr
		// as it is.
		double[] values = optimizer.writeLr(lr(next, optimizer, initial));
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
	 */
	static double[] unchanged(Optimizer optimizer) {
		return optimizer.lrs();
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
