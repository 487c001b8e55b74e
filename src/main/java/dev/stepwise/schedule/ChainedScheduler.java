package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Chained;

/**
 * {@code ChainedScheduler(schedulers)}: every {@code step()} steps each child in list order on the
 * same groups, so chainable rules multiply and an absolute child overwrites those before it.
 * Construction builds the children in order with no reset: the epoch-0 lr is the product of their
 * construction effects.
 *
 * @param children the schedulers in order
 * @param arguments the normalised arguments
 * @see <a href="https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.ChainedScheduler.html">torch.optim.lr_scheduler.ChainedScheduler</a>
 */
record ChainedScheduler(List<Scheduler> children, Map<String, @Nullable Object> arguments) implements Scheduler {

	static ChainedScheduler read(Arguments arguments) {
		List<Arguments> childArguments = arguments.schedulers("schedulers");
		return new ChainedScheduler(SchedulerFactory.children(arguments, childArguments, "ChainedScheduler"),
				arguments.normalized());
	}

	@Override
	public String type() {
		return "ChainedScheduler";
	}

	@Override
	public boolean cyclesMomentum() {
		return this.children.stream().anyMatch(Scheduler::cyclesMomentum);
	}

	@Override
	public boolean composite() {
		return true;
	}

	@Override
	public NodeState construct(Optimizer optimizer) {
		List<NodeState> states = new ArrayList<>(this.children.size());
		for (Scheduler child : this.children) {
			states.add(child.construct(optimizer));
		}
		return new Chained(optimizer.lrs(), List.copyOf(states));
	}

	@Override
	public NodeState step(NodeState state, Optimizer optimizer, double metric) {
		Chained current = (Chained) state;
		List<NodeState> states = new ArrayList<>(current.children().size());
		for (int i = 0; i < this.children.size(); i++) {
			states.add(this.children.get(i).step(current.children().get(i), optimizer, metric));
		}
		return new Chained(optimizer.lrs(), List.copyOf(states));
	}

	/** {@code _initial_step()} as the first child of a SequentialLR: a plain {@code step()}. */
	@Override
	public NodeState initialStep(NodeState state, Optimizer optimizer) {
		return step(state, optimizer, Double.NaN);
	}

	@Override
	public NodeState undo(NodeState state) {
		Chained current = (Chained) state;
		return new Chained(current.lastLr(), SequentialLR.undoAll(this.children, current.children()));
	}

	@Override
	public NodeState restart(NodeState state, Optimizer optimizer) {
		throw new IllegalStateException("refused at construction");
	}

	@Override
	public Map<String, Object> stateDict(NodeState state) {
		Chained current = (Chained) state;
		Map<String, Object> dict = new LinkedHashMap<>();
		dict.put("_last_lr", StateWriter.list(current.lastLr()));
		dict.put("_schedulers", childDicts(this.children, current.children()));
		return dict;
	}

	@Override
	public NodeState readState(StateReader reader) {
		return new Chained(reader.reals("_last_lr"), readChildren(this.children, reader));
	}

	static List<Map<String, Object>> childDicts(List<Scheduler> children, List<NodeState> states) {
		List<Map<String, Object>> dicts = new ArrayList<>(states.size());
		for (int i = 0; i < states.size(); i++) {
			dicts.add(children.get(i).stateDict(states.get(i)));
		}
		return dicts;
	}

	static List<NodeState> readChildren(List<Scheduler> children, StateReader reader) {
		List<StateReader> readers = reader.children(children.size());
		List<NodeState> states = new ArrayList<>(children.size());
		for (int i = 0; i < children.size(); i++) {
			states.add(children.get(i).readState(readers.get(i)));
		}
		return List.copyOf(states);
	}

}
