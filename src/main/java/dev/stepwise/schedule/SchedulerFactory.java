package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.stepwise.schedule.InvalidScheduleException.Kind;

/**
 * Builds an {@link LrScheduler} from its JSON arguments, dispatching on {@code type}.
 */
final class SchedulerFactory {

	private static final Set<String> COMPOSITES = Set.of("SequentialLR", "ChainedScheduler");

	private SchedulerFactory() {
	}

	/** Reads one scheduler object. */
	static LrScheduler read(ArgumentReader arguments) {
		SchedulerType type = arguments.type();
		if (!COMPOSITES.contains(type.name())) {
			// Python rejects an unexpected keyword (TypeError) before the function body
			// can
			// complain about a missing or wrong value; composites check once their
			// children
			// are built, as Python evaluates those first
			arguments.rejectUnknown();
		}
		LrScheduler scheduler = switch (type.name()) {
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
			case "SequentialLR" -> SequentialLR.read(arguments);
			case "ChainedScheduler" -> ChainedScheduler.read(arguments);
			default -> HuggingFaceSchedules.read(type.name(), arguments, arguments.firstLr());
		};
		arguments.rejectUnknown();
		arguments.checkAllRead();
		return scheduler;
	}

	/**
	 * The children of a composite, none a ReduceLROnPlateau. Whether there is one at all
	 * the composite checks with {@link #requireChildren} once its own arguments are
	 * bound, as PyTorch's constructor body does.
	 */
	static List<LrScheduler> children(ArgumentReader parent, List<ArgumentReader> childArguments, String type) {
		List<LrScheduler> children = new ArrayList<>(childArguments.size());
		List<Object> normalized = new ArrayList<>(childArguments.size());
		for (int i = 0; i < childArguments.size(); i++) {
			LrScheduler child = read(childArguments.get(i));
			if (child.requiresMetric()) {
				throw new InvalidScheduleException(Kind.INVALID, parent.field("schedulers[" + i + "]"),
						type + " does not support `ReduceLROnPlateau` scheduler as it requires additional kwargs to be "
								+ "specified when calling `step`, but got one at index " + i
								+ " in the given schedulers sequence.");
			}
			children.add(child);
			normalized.add(child.arguments());
		}
		parent.put("schedulers", List.copyOf(normalized));
		return List.copyOf(children);
	}

	/** PyTorch's first check in a composite's constructor: at least one scheduler. */
	static void requireChildren(ArgumentReader parent, List<LrScheduler> children, String type) {
		if (children.isEmpty()) {
			throw parent.invalid("schedulers", type + " expects at least one scheduler, but got no scheduler.");
		}
	}

}
