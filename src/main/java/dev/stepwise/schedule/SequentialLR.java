package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Sequential;

import static dev.stepwise.schedule.KeywordArgument.required;

/**
 * {@code SequentialLR(optimizer, schedulers, milestones)}: runs one child at a time,
 * switching at the milestones. Construction builds the children in order on the same
 * groups, resets every group's lr to {@code initial_lr}, rewinds every (nested) child by
 * one epoch and re-runs the initial step of the child that runs at epoch 0,
 * {@code bisect_right(milestones, 0)} (the first child unless a milestone is 0; PyTorch
 * 1.13 always took the first). {@code step()}:
 * {@code i = bisect_right(milestones, last_epoch)}; at a milestone child {@code i}
 * restarts at epoch 0 through its closed form ({@code _update_lr(0)}), so it starts from
 * {@code base_lr}, not from where the previous child ended; otherwise child {@code i}
 * steps. Milestones are not sorted, as in PyTorch. A nested SequentialLR/ChainedScheduler
 * that a milestone would restart is refused up front: PyTorch cannot restart it (it
 * raises {@code NotImplementedError} at that milestone).
 *
 * @param children the schedulers in order
 * @param milestones the epochs at which the next child takes over
 * @param arguments the normalised arguments
 * @see <a href=
 * "https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.SequentialLR.html">torch.optim.lr_scheduler.SequentialLR</a>
 */
record SequentialLR(List<LrScheduler> children, long[] milestones,
		Map<String, @Nullable Object> arguments) implements Composite {

	/**
	 * Declared in the order of the normalised spec, which records the children once they
	 * are built.
	 */
	static final SchedulerType TYPE = SchedulerType
		.torch("SequentialLR", "Runs the schedulers one after another, switching at the milestones.",
				"one child at a time, restarted at its milestone",
				required("milestones", ArgumentKind.INTEGER_LIST,
						"Epochs at which the next scheduler takes over; one fewer than schedulers."),
				required("schedulers", ArgumentKind.SCHEDULERS,
						"The schedulers (nested specs without optimizer; no ReduceLROnPlateau)."))
		.lasting(ScheduleLength.sequential("milestones", "schedulers"));

	static SchedulerFactory.Built build(ArgumentReader arguments, Optimizer optimizer) {
		// Python builds the children before it calls SequentialLR(...) with the rest; the
		// placeholder keeps milestones first in the normalised spec
		arguments.put("milestones", null);
		List<SchedulerFactory.Built> built = SchedulerFactory.children(arguments, optimizer);
		arguments.rejectUnknown();
		// a missing milestones is a TypeError of the call, before the constructor's first
		// check
		long[] milestones = arguments.integers("milestones");
		List<LrScheduler> children = SchedulerFactory.checkChildren(arguments, built, "SequentialLR");
		DeepSpeedLrSchedule.refuseInSequential(arguments, children);
		if (milestones.length != children.size() - 1) {
			throw arguments.invalid("milestones",
					"Sequential Schedulers expects number of schedulers provided to be one more than the number of "
							+ "milestone points, but got number of schedulers " + children.size()
							+ " and the number of milestones to be equal to " + milestones.length);
		}
		for (int i = 1; i < children.size(); i++) {
			if (children.get(i).composite() && restartedAtMilestone(milestones, i)) {
				throw arguments.invalid("schedulers[" + i + "]",
						"a nested " + children.get(i).type() + " would be restarted at milestone " + milestones[i - 1]
								+ ", which PyTorch cannot do (NotImplementedError); only a child that no milestone"
								+ " restarts (the first, or one whose milestone is 0) can be a SequentialLR or"
								+ " ChainedScheduler");
			}
		}
		SequentialLR scheduler = new SequentialLR(children, milestones, arguments.normalized());
		return new SchedulerFactory.Built(scheduler,
				scheduler.constructAfter(SchedulerFactory.states(built), optimizer));
	}

	/**
	 * Whether {@code step()} ever calls {@code _update_lr(0)} on child {@code index}: at
	 * {@code last_epoch = milestones[index - 1] >= 1}, if bisect_right picks the child
	 * there.
	 */
	static boolean restartedAtMilestone(long[] milestones, int index) {
		long epoch = milestones[index - 1];
		return epoch >= 1 && Py.bisectRight(milestones, epoch) == index;
	}

	@Override
	public String type() {
		return "SequentialLR";
	}

	@Override
	public NodeState constructAfter(List<NodeState> states, Optimizer optimizer) {
		System.arraycopy(optimizer.initialLr, 0, optimizer.lr, 0, optimizer.size());
		Sequential undone = (Sequential) undo(new Sequential(0, optimizer.lrs(), states));
		// the initial step only of the child meant to run at epoch 0
		int first = Py.bisectRight(this.milestones, 0);
		List<NodeState> started = new ArrayList<>(undone.children());
		started.set(first, this.children.get(first).initialStep(started.get(first), optimizer));
		return new Sequential(0, optimizer.lrs(), List.copyOf(started));
	}

	@Override
	public NodeState step(NodeState state, Optimizer optimizer, double metric) {
		Sequential current = (Sequential) state;
		long epoch = current.lastEpoch() + 1;
		int index = Py.bisectRight(this.milestones, epoch);
		List<NodeState> states = new ArrayList<>(current.children());
		LrScheduler child = this.children.get(index);
		if (index > 0 && this.milestones[index - 1] == epoch) {
			states.set(index, child.restart(states.get(index), optimizer));
		}
		else {
			states.set(index, child.step(states.get(index), optimizer, metric));
		}
		return new Sequential(epoch, optimizer.lrs(), List.copyOf(states));
	}

	/**
	 * Steps as {@link #step} does, a run of steps between milestones at a time: each run
	 * is its child's own fast-forward (a jump where the child has one), so no state is
	 * built per step.
	 */
	@Override
	public NodeState fastForward(NodeState state, Optimizer optimizer, long steps) {
		Sequential current = (Sequential) state;
		List<NodeState> states = new ArrayList<>(current.children());
		long epoch = current.lastEpoch();
		long to = epoch + steps;
		while (epoch < to) {
			int index = Py.bisectRight(this.milestones, epoch + 1);
			LrScheduler child = this.children.get(index);
			if (index > 0 && this.milestones[index - 1] == epoch + 1) {
				states.set(index, child.restart(states.get(index), optimizer));
				epoch++;
			}
			else {
				// up to the epoch before the next milestone, which restarts another child
				long end = (index < this.milestones.length) ? Math.min(to, this.milestones[index] - 1) : to;
				states.set(index, child.fastForward(states.get(index), optimizer, end - epoch));
				epoch = end;
			}
		}
		return (steps == 0) ? current : new Sequential(to, optimizer.lrs(), List.copyOf(states));
	}

	/**
	 * With children that all jump, as many units as the steps times the weight (their
	 * jumps cost less, and build no state per step); else stepped.
	 */
	@Override
	public long fastForwardCost(NodeState state, long steps) {
		boolean jumps = this.children.stream().allMatch(Chainable.class::isInstance);
		return jumps ? LrScheduler.work(steps, weight()) : Composite.super.fastForwardCost(state, steps);
	}

	/** {@code recursive_undo}: rewinds the children, not itself. */
	@Override
	public NodeState undo(NodeState state) {
		Sequential current = (Sequential) state;
		return new Sequential(current.lastEpoch(), current.lastLr(), undoChildren(current.children()));
	}

	/** PyTorch keeps the milestones as {@code _milestones}. */
	@Override
	public Map<String, @Nullable Object> hyperparameters() {
		Map<String, @Nullable Object> result = new LinkedHashMap<>();
		result.put("_milestones", arguments().get("milestones"));
		return result;
	}

	@Override
	public Map<String, Object> stateDict(NodeState state) {
		Sequential current = (Sequential) state;
		Map<String, Object> dict = new LinkedHashMap<>();
		StateWriter.putHyperparameters(dict, hyperparameters());
		dict.put("last_epoch", current.lastEpoch());
		dict.put("_last_lr", StateWriter.list(current.lastLr()));
		dict.put("_schedulers", childDicts(current.children()));
		return dict;
	}

	@Override
	public NodeState readState(StateReader reader) {
		return new Sequential(reader.counter("last_epoch", -Schedule.MAX_EPOCH), reader.finiteReals("_last_lr"),
				readChildren(reader));
	}

}
