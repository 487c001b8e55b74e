package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.List;

import dev.stepwise.schedule.InvalidScheduleException.Kind;

/**
 * Builds an {@link LrScheduler} from its JSON arguments, dispatching on {@code type}, and
 * constructs it on the optimizer as it goes: Python constructs each child of a composite
 * (initial step included) before it evaluates the next argument, so a child's
 * construction error comes before a later argument's {@code TypeError}.
 */
final class SchedulerFactory {

	private SchedulerFactory() {
	}

	/**
	 * A scheduler and its state right after construction.
	 *
	 * @param scheduler the scheduler
	 * @param state its state after {@code __init__}
	 */
	record Built(LrScheduler scheduler, NodeState state) {
	}

	/** Reads one scheduler object and constructs it on the optimizer. */
	static Built build(ArgumentReader arguments, Optimizer optimizer) {
		SchedulerType type = arguments.type();
		Built built = switch (type.name()) {
			// composites check their keywords once their children are built, as Python
			// evaluates those first
			case "SequentialLR" -> SequentialLR.build(arguments, optimizer);
			case "ChainedScheduler" -> ChainedScheduler.build(arguments, optimizer);
			case PerGroup.NAME -> PerGroup.build(arguments, optimizer);
			default -> {
				// Python rejects an unexpected keyword (TypeError) before the function
				// body can complain about a missing or wrong value
				arguments.rejectUnknown();
				LrScheduler leaf = DeepSpeedSchedules.owns(type.name())
						? DeepSpeedSchedules.read(type.name(), arguments, optimizer.lrs())
						: leaf(type.name(), arguments);
				yield new Built(leaf, leaf.construct(optimizer));
			}
		};
		arguments.checkAllRead();
		return built;
	}

	private static LrScheduler leaf(String type, ArgumentReader arguments) {
		return switch (type) {
			case "LambdaLR" -> LambdaLR.read(arguments);
			case "MultiplicativeLR" -> MultiplicativeLR.read(arguments);
			case "StepLR" -> StepLR.read(arguments);
			case "MultiStepLR" -> MultiStepLR.read(arguments);
			case "ConstantLR" -> ConstantLR.read(arguments);
			case "LinearLR" -> LinearLR.read(arguments);
			case "ExponentialLR" -> ExponentialLR.read(arguments);
			case "PolynomialLR" -> PolynomialLR.read(arguments);
			case "CosineAnnealingLR" -> CosineAnnealingLR.read(arguments);
			case "CosineAnnealingWarmRestarts" -> CosineAnnealingWarmRestarts.read(arguments);
			case "CyclicLR" -> CyclicLR.read(arguments);
			case "OneCycleLR" -> OneCycleLR.read(arguments);
			case "ReduceLROnPlateau", "reduce_lr_on_plateau" -> ReduceLROnPlateau.read(arguments);
			case LightningRangeTest.NAME -> LightningRangeTest.read(arguments);
			case WarmupPlateau.NAME -> WarmupPlateau.read(arguments);
			default -> HuggingFaceSchedules.read(type, arguments, arguments.firstLr());
		};
	}

	/**
	 * Reads the {@code schedulers} of a composite and builds each in order on the
	 * optimizer, recording their normalised specs. Whether they suit the composite it
	 * checks with {@link #checkChildren} once its own arguments are bound, as PyTorch's
	 * constructor body does.
	 */
	static List<Built> children(ArgumentReader parent, Optimizer optimizer) {
		List<ArgumentReader> childArguments = parent.schedulers("schedulers");
		List<Built> children = new ArrayList<>(childArguments.size());
		List<Object> normalized = new ArrayList<>(childArguments.size());
		for (ArgumentReader child : childArguments) {
			Built built = build(child, optimizer);
			children.add(built);
			normalized.add(built.scheduler().arguments());
		}
		parent.put("schedulers", List.copyOf(normalized));
		return List.copyOf(children);
	}

	/**
	 * PyTorch's first checks in a composite's constructor: at least one scheduler, and
	 * none a ReduceLROnPlateau; nor, Stepwise's own, a stepwise.WarmupPlateau (it steps
	 * on the metric a composite does not pass on) or a stepwise.PerGroup (a root
	 * scheduler: its children each take one group of the optimizer).
	 */
	static List<LrScheduler> checkChildren(ArgumentReader parent, List<Built> children, String type) {
		if (children.isEmpty()) {
			throw parent.invalid("schedulers", type + " expects at least one scheduler, but got no scheduler.");
		}
		List<LrScheduler> schedulers = new ArrayList<>(children.size());
		for (int i = 0; i < children.size(); i++) {
			LrScheduler child = children.get(i).scheduler();
			if (child instanceof WarmupPlateau || child instanceof PerGroup) {
				throw new InvalidScheduleException(Kind.INVALID, parent.field("schedulers[" + i + "]"),
						type + " cannot hold a " + child.type() + " (index " + i + "): " + ((child instanceof PerGroup)
								? PerGroup.NAME
										+ " is a root scheduler only; give it the composites as its children instead"
								: WarmupPlateau.NAME + " steps on a metric, which " + type
										+ " does not pass to its children, and it holds its own warmup: register it"
										+ " as the scheduler itself, or as a child of " + PerGroup.NAME));
			}
			if (child.requiresMetric()) {
				throw new InvalidScheduleException(Kind.INVALID, parent.field("schedulers[" + i + "]"),
						type + " does not support `ReduceLROnPlateau` scheduler as it requires additional kwargs to be "
								+ "specified when calling `step`, but got one at index " + i
								+ " in the given schedulers sequence.");
			}
			schedulers.add(child);
		}
		return List.copyOf(schedulers);
	}

	/** The children's states after construction, in order. */
	static List<NodeState> states(List<Built> children) {
		return children.stream().map(Built::state).toList();
	}

}
