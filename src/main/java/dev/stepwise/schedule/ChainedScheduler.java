package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Chained;

import static dev.stepwise.schedule.KeywordArgument.required;

/**
 * {@code ChainedScheduler(schedulers)}: every {@code step()} steps each child in list
 * order on the same groups, so chainable rules multiply and an absolute child overwrites
 * those before it. Construction builds the children in order with no reset: the epoch-0
 * lr is the product of their construction effects.
 *
 * @param children the schedulers in order
 * @param arguments the normalised arguments
 * @see <a href=
 * "https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.ChainedScheduler.html">torch.optim.lr_scheduler.ChainedScheduler</a>
 */
record ChainedScheduler(List<LrScheduler> children, Map<String, @Nullable Object> arguments) implements Composite {

	static final SchedulerType TYPE = SchedulerType.torch("ChainedScheduler",
			"Steps every scheduler at every step, in list order; their effects compose.",
			"every child steps, in order, each step", required("schedulers", ArgumentKind.SCHEDULERS,
					"The schedulers (nested specs without optimizer; no ReduceLROnPlateau)."));

	static SchedulerFactory.Built build(ArgumentReader arguments, Optimizer optimizer) {
		// Python builds the children before it calls ChainedScheduler(...)
		List<SchedulerFactory.Built> built = SchedulerFactory.children(arguments, optimizer);
		arguments.rejectUnknown();
		List<LrScheduler> children = SchedulerFactory.checkChildren(arguments, built, "ChainedScheduler");
		ChainedScheduler scheduler = new ChainedScheduler(children, arguments.normalized());
		return new SchedulerFactory.Built(scheduler,
				scheduler.constructAfter(SchedulerFactory.states(built), optimizer));
	}

	@Override
	public String type() {
		return "ChainedScheduler";
	}

	@Override
	public NodeState constructAfter(List<NodeState> states, Optimizer optimizer) {
		return new Chained(optimizer.lrs(), states);
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

	@Override
	public NodeState undo(NodeState state) {
		Chained current = (Chained) state;
		return new Chained(current.lastLr(), undoChildren(current.children()));
	}

	@Override
	public Map<String, Object> stateDict(NodeState state) {
		Chained current = (Chained) state;
		Map<String, Object> dict = new LinkedHashMap<>();
		dict.put("_last_lr", StateWriter.list(current.lastLr()));
		dict.put("_schedulers", childDicts(current.children()));
		return dict;
	}

	@Override
	public NodeState readState(StateReader reader) {
		return new Chained(reader.finiteReals("_last_lr"), readChildren(reader));
	}

}
