package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What SequentialLR and ChainedScheduler share: children built in order on the same
 * groups, a {@code recursive_undo} that descends into them, and an
 * {@code _initial_step()} that is a plain {@code step()} (their own {@code step} ignores
 * the initial mode).
 */
sealed interface Composite extends LrScheduler permits SequentialLR, ChainedScheduler {

	/** The nested schedulers, in order. */
	List<LrScheduler> children();

	@Override
	default boolean cyclesMomentum() {
		return children().stream().anyMatch(LrScheduler::cyclesMomentum);
	}

	@Override
	default boolean composite() {
		return true;
	}

	@Override
	default long weight() {
		long sum = 1;
		for (LrScheduler child : children()) {
			sum = LrScheduler.plus(sum, child.weight());
		}
		return sum;
	}

	@Override
	default long nodes() {
		long sum = 1;
		for (LrScheduler child : children()) {
			sum = LrScheduler.plus(sum, child.nodes());
		}
		return sum;
	}

	@Override
	default NodeState initialStep(NodeState state, Optimizer optimizer) {
		return step(state, optimizer, Double.NaN);
	}

	/**
	 * PyTorch cannot restart a composite at a milestone, so SequentialLR refuses one up
	 * front.
	 */
	@Override
	default NodeState restart(NodeState state, Optimizer optimizer) {
		throw new IllegalStateException(type() + " is refused after the first child of a SequentialLR");
	}

	/**
	 * Constructs every child in order on the same groups, as the Python caller does
	 * before the composite, then the composite.
	 */
	@Override
	default NodeState construct(Optimizer optimizer) {
		List<NodeState> states = new ArrayList<>(children().size());
		for (LrScheduler child : children()) {
			states.add(child.construct(optimizer));
		}
		return constructAfter(List.copyOf(states), optimizer);
	}

	/**
	 * The composite's {@code __init__}, once the caller has constructed the children.
	 * @param states the children's states after their construction
	 * @param optimizer the groups the children were constructed on
	 * @return the composite's state after construction
	 */
	NodeState constructAfter(List<NodeState> states, Optimizer optimizer);

	/**
	 * {@code recursive_undo} over the children: leaves rewind by one epoch, composites
	 * descend.
	 */
	default List<NodeState> undoChildren(List<NodeState> states) {
		List<NodeState> undone = new ArrayList<>(states.size());
		for (int i = 0; i < states.size(); i++) {
			undone.add(children().get(i).undo(states.get(i)));
		}
		return List.copyOf(undone);
	}

	/** {@code "_schedulers": [child.state_dict() ...]}. */
	default List<Map<String, Object>> childDicts(List<NodeState> states) {
		List<Map<String, Object>> dicts = new ArrayList<>(states.size());
		for (int i = 0; i < states.size(); i++) {
			dicts.add(children().get(i).stateDict(states.get(i)));
		}
		return dicts;
	}

	/** Reads {@code _schedulers}, one document per child. */
	default List<NodeState> readChildren(StateReader reader) {
		List<StateReader> readers = reader.children(children().size());
		List<NodeState> states = new ArrayList<>(readers.size());
		for (int i = 0; i < readers.size(); i++) {
			states.add(children().get(i).readState(readers.get(i)));
		}
		return List.copyOf(states);
	}

}
