package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Every scheduler type the engine builds, each declared by its own class: the PyTorch
 * schedulers in {@code torch.optim.lr_scheduler}'s order, then the Hugging Face schedules
 * in {@code get_scheduler}'s order, then DeepSpeed's ({@code deepspeed.*}), then
 * Stepwise's own ({@code stepwise.*}). The API documentation and the README's table are
 * generated from it.
 */
public final class SchedulerCatalogue {

	private static final List<SchedulerType> TORCH = List.of(LambdaLR.TYPE, MultiplicativeLR.TYPE, StepLR.TYPE,
			MultiStepLR.TYPE, ConstantLR.TYPE, LinearLR.TYPE, ExponentialLR.TYPE, PolynomialLR.TYPE,
			CosineAnnealingLR.TYPE, CosineAnnealingWarmRestarts.TYPE, CyclicLR.TYPE, OneCycleLR.TYPE,
			ReduceLROnPlateau.TYPE, SequentialLR.TYPE, ChainedScheduler.TYPE);

	/** Stepwise's own types, which PyTorch lacks. */
	private static final List<SchedulerType> STEPWISE = List.of(WarmupPlateau.TYPE, PerGroup.TYPE);

	private static final Map<String, SchedulerType> BY_NAME = new LinkedHashMap<>();

	static {
		List<SchedulerType> all = new ArrayList<>(TORCH);
		all.addAll(HuggingFaceSchedules.TYPES);
		all.addAll(DeepSpeedSchedules.TYPES);
		all.addAll(STEPWISE);
		all.add(LightningRangeTest.TYPE);
		for (SchedulerType type : all) {
			if (BY_NAME.put(type.name(), type) != null) {
				throw new IllegalStateException("Two scheduler types are called " + type.name());
			}
		}
	}

	private static final List<SchedulerType> ALL = List.copyOf(BY_NAME.values());

	private static final List<String> NAMES = List.copyOf(BY_NAME.keySet());

	private SchedulerCatalogue() {
	}

	/** Every type, PyTorch's, Hugging Face's, DeepSpeed's, then Stepwise's. */
	public static List<SchedulerType> all() {
		return ALL;
	}

	/** The names of every type, in the order of {@link #all()}. */
	public static List<String> names() {
		return NAMES;
	}

	/**
	 * How many steps the schedule of a normalised spec lasts, by its type's declared
	 * {@link SchedulerType#length() length}; empty for an unknown type.
	 */
	public static OptionalLong length(Map<?, ?> spec) {
		@SuppressWarnings("unchecked")
		Map<String, ?> arguments = (Map<String, ?>) spec;
		return (spec.get("type") instanceof String name)
				? named(name).map((type) -> type.length().of(arguments)).orElse(OptionalLong.empty())
				: OptionalLong.empty();
	}

	/** The type called {@code name}, if the engine has one. */
	public static Optional<SchedulerType> named(String name) {
		return Optional.ofNullable(BY_NAME.get(name));
	}

}
