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
sealed interface LrScheduler permits Chainable, CosineAnnealingWarmRestarts, ReduceLROnPlateau, Composite,
		DeepSpeedLrSchedule, LightningRangeTest, RootOnly {

	/** The type name, e.g. {@code StepLR}. */
	String type();

	/** The keyword arguments with every default filled in, {@code type} first. */
	Map<String, @Nullable Object> arguments();

	/** {@code __init__(optimizer)} with {@code last_epoch=-1}, initial step included. */
	NodeState construct(Optimizer optimizer);

	/** {@code step()} ({@code step(metric)} for ReduceLROnPlateau). */
	NodeState step(NodeState state, Optimizer optimizer, double metric);

	/**
	 * A {@code step()} that lands at {@code position} instead of {@code last_epoch + 1}:
	 * the lr is evaluated at {@code position} (the tokens or samples consumed so far),
	 * while {@code last_epoch} and {@code _step_count} count the step as usual. Only for
	 * the types declared {@link SchedulerType#takingUnits() taking units}; at
	 * {@code position == last_epoch + 1} it is exactly {@link #step}.
	 * @param state the state to step from
	 * @param optimizer the groups, written as the step writes them
	 * @param position the position after the step, {@code >= 0}
	 * @return the next state
	 */
	default NodeState stepAt(NodeState state, Optimizer optimizer, long position) {
		throw new IllegalStateException(type() + " has no closed form in its position");
	}

	/**
	 * {@code steps} metric-less {@code step()} calls in a row, as one transition: the
	 * state (and the groups) exactly as stepping leaves them, or the exception stepping
	 * raises. This default steps; the types whose lr at an epoch has a closed form jump.
	 * @param state the state to start from
	 * @param optimizer the groups, written as the last step writes them
	 * @param steps how many steps, {@code >= 0}
	 * @return the state {@code steps} epochs on
	 */
	default NodeState fastForward(NodeState state, Optimizer optimizer, long steps) {
		NodeState current = state;
		for (long i = 0; i < steps; i++) {
			current = step(current, optimizer, Double.NaN);
		}
		return current;
	}

	/**
	 * The work of {@link #fastForward} from {@code state} per param group, in the units
	 * of {@link Schedule#cost}: {@code steps · stepWork()} where it steps, less where it
	 * jumps.
	 */
	default long fastForwardCost(NodeState state, long steps) {
		return work(steps, stepWork());
	}

	/**
	 * The work units a scheduler object adds to a step taken one by one for the new state
	 * it builds: per group about 8 bytes of arrays plus its share of the objects, against
	 * the 8 to 13 bytes a unit that keep the largest request under 64 MB allocated
	 * (bench/limits.sh).
	 */
	long STATE_WORK = 5;

	/**
	 * The work of one step taken one by one, per param group: the evaluation
	 * ({@link #weight()}) and the state it builds ({@link #STATE_WORK} per scheduler
	 * object).
	 */
	default long stepWork() {
		return plus(weight(), work(STATE_WORK, nodes()));
	}

	/** The scheduler objects, nested ones included. */
	default long nodes() {
		return 1;
	}

	/**
	 * The work of one step per param group: 1 per scheduler, plus the size of every
	 * expression it evaluates (a composite adds up its children).
	 */
	default long weight() {
		return 1;
	}

	/** {@code a · b}, saturating at {@code Long.MAX_VALUE} (both {@code >= 0}). */
	static long work(long a, long b) {
		long high = Math.multiplyHigh(a, b);
		long product = a * b;
		return (high != 0 || product < 0) ? Long.MAX_VALUE : product;
	}

	/** {@code a + b}, saturating at {@code Long.MAX_VALUE} (both {@code >= 0}). */
	static long plus(long a, long b) {
		long sum = a + b;
		return (sum < 0) ? Long.MAX_VALUE : sum;
	}

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

	/**
	 * Whether it needs a metric for every step (ReduceLROnPlateau), or for the steps
	 * after its first {@link #stepsWithoutMetric()} (stepwise.WarmupPlateau).
	 */
	default boolean requiresMetric() {
		return false;
	}

	/**
	 * Whether the schedule is over and refuses further steps (a finished
	 * stepwise.LRRangeTest).
	 */
	default boolean finished(NodeState state) {
		return false;
	}

	/** Whether any state of it may be {@link #finished} (stepwise.LRRangeTest). */
	default boolean finishes() {
		return false;
	}

	/**
	 * How many steps from construction it takes without a metric, so how far a
	 * registration may fast-forward it: 0 for ReduceLROnPlateau, the warmup of
	 * stepwise.WarmupPlateau, unbounded for the schedulers that take no metric.
	 */
	default long stepsWithoutMetric() {
		return requiresMetric() ? 0 : Long.MAX_VALUE;
	}

	/** Whether the step after {@code state} needs a metric. */
	default boolean needsMetric(NodeState state) {
		return requiresMetric();
	}

	/** Whether it writes the momentum of param group {@code group}. */
	default boolean cyclesMomentum(int group) {
		return cyclesMomentum();
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
