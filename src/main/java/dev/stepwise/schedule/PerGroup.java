package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.PerGroupStates;

import static dev.stepwise.schedule.KeywordArgument.required;

/**
 * {@code stepwise.PerGroup(schedulers)}: one scheduler per param group, each built and
 * stepped on a view of the optimizer that holds its group alone, as one PyTorch optimizer
 * per group with its own scheduler would run (what people do today, pytorch #101082).
 * Every step steps every child, in group order, with the same metric, so the metric is
 * needed where any child needs it. A child may be any type but stepwise.PerGroup (a
 * SequentialLR, a ReduceLROnPlateau, a stepwise.WarmupPlateau, ...); Hugging Face
 * schedules take their group's lr as {@code defaults["lr"]}. PerGroup itself is a root
 * scheduler only: a SequentialLR or ChainedScheduler cannot hold it.
 *
 * @param children the scheduler of each group, in group order
 * @param arguments the normalised arguments
 */
record PerGroup(List<LrScheduler> children, Map<String, @Nullable Object> arguments) implements RootOnly {

	static final String NAME = "stepwise.PerGroup";

	static final SchedulerType TYPE = new SchedulerType(NAME,
			"Stepwise (not a PyTorch class): one scheduler per param group, each running on its group alone as "
					+ "with one optimizer per group; all step together with the same metric.",
			"`schedulers[i]` runs on param group `i` alone; the metric goes to every child",
			List.of(required("schedulers", ArgumentKind.SCHEDULERS,
					"One scheduler spec per param group, in the groups' order (any type but stepwise.PerGroup).")));

	static SchedulerFactory.Built build(ArgumentReader arguments, Optimizer optimizer) {
		arguments.rejectUnknown();
		List<ArgumentReader> readers = arguments.schedulersPerGroup("schedulers", optimizer.lrs());
		List<LrScheduler> children = new ArrayList<>(readers.size());
		List<NodeState> states = new ArrayList<>(readers.size());
		List<Object> normalized = new ArrayList<>(readers.size());
		for (int i = 0; i < readers.size(); i++) {
			Optimizer view = view(optimizer, i);
			SchedulerFactory.Built built = SchedulerFactory.build(readers.get(i), view);
			if (built.scheduler() instanceof PerGroup) {
				throw arguments.invalid("schedulers[" + i + "]",
						NAME + " cannot hold another " + NAME + ": each child already runs on one param group");
			}
			writeBack(view, optimizer, i);
			optimizer.editKeys();
			optimizer.initialLr[i] = view.initialLr[0];
			optimizer.maxLr[i] = view.maxLr[0];
			optimizer.minLr[i] = view.minLr[0];
			optimizer.maxMomentum[i] = view.maxMomentum[0];
			optimizer.baseMomentum[i] = view.baseMomentum[0];
			children.add(built.scheduler());
			states.add(built.state());
			normalized.add(built.scheduler().arguments());
		}
		arguments.put("schedulers", List.copyOf(normalized));
		return new SchedulerFactory.Built(new PerGroup(List.copyOf(children), arguments.normalized()),
				new PerGroupStates(List.copyOf(states)));
	}

	/** An optimizer that holds group {@code i} of {@code optimizer} alone. */
	private static Optimizer view(Optimizer optimizer, int i) {
		return new Optimizer(new GroupArrays(one(optimizer.lr, i), one(optimizer.momentum, i),
				one(optimizer.initialLr, i), one(optimizer.maxLr, i), one(optimizer.minLr, i),
				one(optimizer.maxMomentum, i), one(optimizer.baseMomentum, i)));
	}

	private static double[] one(double[] values, int i) {
		return new double[] { values[i] };
	}

	/** What a step writes (the lr and the momentum), back into group {@code i}. */
	private static void writeBack(Optimizer view, Optimizer optimizer, int i) {
		optimizer.lr[i] = view.lr[0];
		optimizer.momentum[i] = view.momentum[0];
	}

	@Override
	public String type() {
		return NAME;
	}

	@Override
	public NodeState construct(Optimizer optimizer) {
		throw new IllegalStateException(NAME + " is built by build(), which constructs its children");
	}

	@Override
	public NodeState step(NodeState state, Optimizer optimizer, double metric) {
		return transition(state, optimizer, (child, childState, view) -> child.step(childState, view, metric));
	}

	/** Each child's own fast-forward (a jump where it has one), on its group. */
	@Override
	public NodeState fastForward(NodeState state, Optimizer optimizer, long steps) {
		return transition(state, optimizer, (child, childState, view) -> child.fastForward(childState, view, steps));
	}

	private NodeState transition(NodeState state, Optimizer optimizer, ChildTransition transition) {
		List<NodeState> states = ((PerGroupStates) state).children();
		List<NodeState> next = new ArrayList<>(states.size());
		for (int i = 0; i < states.size(); i++) {
			Optimizer view = view(optimizer, i);
			next.add(transition.apply(this.children.get(i), states.get(i), view));
			writeBack(view, optimizer, i);
		}
		return new PerGroupStates(List.copyOf(next));
	}

	@FunctionalInterface
	private interface ChildTransition {

		NodeState apply(LrScheduler child, NodeState state, Optimizer view);

	}

	/**
	 * The work of a child's step in groups: twice a schedule of one group's,
	 * {@code 1 + 8} ({@link Schedule#cost}), for the one-group optimizer built around
	 * each child's step. Measured on the shared development VM: 1,024 children, 128 steps
	 * (15 million units) in 25 to 50 ms once compiled.
	 */
	private static final long CHILD_GROUPS = 2 * (1 + Schedule.STEP_OVERHEAD);

	/**
	 * The children's costs on one group each, spread over the groups as
	 * {@link Schedule#cost} multiplies by {@code groups + 8}: the whole is
	 * {@code CHILD_GROUPS · Σ c} rounded up, not {@code (groups + 8) · max c}.
	 */
	private long spread(long[] perChild) {
		long sum = 0;
		for (long cost : perChild) {
			sum = LrScheduler.plus(sum, LrScheduler.work(CHILD_GROUPS, cost));
		}
		long groups = this.children.size() + Schedule.STEP_OVERHEAD;
		return (sum == Long.MAX_VALUE) ? sum : (sum + groups - 1) / groups;
	}

	@Override
	public long stepWork() {
		long[] costs = new long[this.children.size()];
		for (int i = 0; i < costs.length; i++) {
			costs[i] = this.children.get(i).stepWork();
		}
		return LrScheduler.plus(spread(costs), STATE_WORK);
	}

	@Override
	public long fastForwardCost(NodeState state, long steps) {
		List<NodeState> states = ((PerGroupStates) state).children();
		long[] costs = new long[this.children.size()];
		for (int i = 0; i < costs.length; i++) {
			costs[i] = this.children.get(i).fastForwardCost(states.get(i), steps);
		}
		return spread(costs);
	}

	@Override
	public long weight() {
		return 1 + sum(LrScheduler::weight);
	}

	@Override
	public long nodes() {
		return 1 + sum(LrScheduler::nodes);
	}

	/** The children's {@code measure}, saturating below {@code Long.MAX_VALUE}. */
	private long sum(ToLongFunction<LrScheduler> measure) {
		long sum = 0;
		for (LrScheduler child : this.children) {
			sum = Math.min(LrScheduler.plus(sum, measure.applyAsLong(child)), Long.MAX_VALUE - 1);
		}
		return sum;
	}

	@Override
	public boolean requiresMetric() {
		return this.children.stream().anyMatch(LrScheduler::requiresMetric);
	}

	@Override
	public long stepsWithoutMetric() {
		return this.children.stream().mapToLong(LrScheduler::stepsWithoutMetric).min().orElse(Long.MAX_VALUE);
	}

	@Override
	public boolean needsMetric(NodeState state) {
		List<NodeState> states = ((PerGroupStates) state).children();
		for (int i = 0; i < states.size(); i++) {
			if (this.children.get(i).needsMetric(states.get(i))) {
				return true;
			}
		}
		return false;
	}

	@Override
	public boolean cyclesMomentum() {
		return this.children.stream().anyMatch(LrScheduler::cyclesMomentum);
	}

	@Override
	public boolean cyclesMomentum(int group) {
		return this.children.get(group).cyclesMomentum();
	}

	/** None of its own: each child's are checked in its document. */
	@Override
	public Map<String, @Nullable Object> hyperparameters() {
		return new LinkedHashMap<>();
	}

	/** {@code "_schedulers": [the state_dict() of each group's scheduler]}. */
	@Override
	public Map<String, Object> stateDict(NodeState state) {
		List<NodeState> states = ((PerGroupStates) state).children();
		List<Map<String, Object>> dicts = new ArrayList<>(states.size());
		for (int i = 0; i < states.size(); i++) {
			dicts.add(this.children.get(i).stateDict(states.get(i)));
		}
		Map<String, Object> dict = new LinkedHashMap<>();
		dict.put("_schedulers", dicts);
		return dict;
	}

	@Override
	public NodeState readState(StateReader reader) {
		List<StateReader> readers = childReaders(reader);
		List<NodeState> states = new ArrayList<>(readers.size());
		for (int i = 0; i < readers.size(); i++) {
			states.add(this.children.get(i).readState(readers.get(i)));
		}
		return new PerGroupStates(List.copyOf(states));
	}

	/** The readers of the children's documents, each on one group. */
	List<StateReader> childReaders(StateReader reader) {
		return reader.children(this.children.size(), 1);
	}

}
