package dev.stepwise.schedule;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One PyTorch scheduler class, as PyTorch's {@code LRScheduler} base class: its validated
 * hyperparameters, and its methods as pure functions of its own {@link NodeState} and the
 * optimizer's param groups. The shape follows PyTorch's execution model because
 * composites depend on it: SequentialLR rewinds its children ({@link #undo}), re-runs the
 * first one's initial step ({@link #initialStep}) and restarts the others at milestones
 * ({@link #restart}).
 */
sealed interface LrScheduler permits Chainable, CosineAnnealingWarmRestarts, ReduceLROnPlateau, Composite {

	/** The type name, e.g. {@code StepLR}. */
	String type();

	/** The keyword arguments with every default filled in, {@code type} first. */
	Map<String, @Nullable Object> arguments();

	/** {@code __init__(optimizer)} with {@code last_epoch=-1}, initial step included. */
	NodeState construct(Optimizer optimizer);

	/** {@code step()} ({@code step(metric)} for ReduceLROnPlateau). */
	NodeState step(NodeState state, Optimizer optimizer, double metric);

	/** {@code _initial_step()}: reset {@code _step_count} and step in initial mode. */
	NodeState initialStep(NodeState state, Optimizer optimizer);

	/**
	 * SequentialLR's {@code recursive_undo}: {@code last_epoch -= 1}, or descend into
	 * children.
	 */
	NodeState undo(NodeState state);

	/** {@code _update_lr(0)}: how SequentialLR restarts a child at its milestone. */
	NodeState restart(NodeState state, Optimizer optimizer);

	/**
	 * Whether the scheduler writes the groups' momentum (CyclicLR, OneCycleLR, or a
	 * composite holding one).
	 */
	default boolean cyclesMomentum() {
		return false;
	}

	/** Whether it needs a metric for every step (ReduceLROnPlateau). */
	default boolean requiresMetric() {
		return false;
	}

	/** Whether it is a SequentialLR or ChainedScheduler. */
	default boolean composite() {
		return false;
	}

	/**
	 * The keys of {@link #stateDict} that the registered spec fixes, with their values
	 * ({@code null} for an argument that is {@code None}): a state document must not
	 * change them.
	 */
	default Map<String, @Nullable Object> hyperparameters() {
		return StateWriter.hyperparameters(arguments());
	}

	/** Its state as PyTorch names the keys of {@code state_dict()}. */
	Map<String, Object> stateDict(NodeState state);

	/** Reads what {@link #stateDict} wrote. */
	NodeState readState(StateReader reader);

}
