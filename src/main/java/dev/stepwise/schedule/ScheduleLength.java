package dev.stepwise.schedule;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongBinaryOperator;

/**
 * How many steps a schedule of one type lasts, read from its normalised spec: declared
 * once per type, next to its arguments ({@link SchedulerType#length()}). The dashboard
 * shows {@code last_epoch} out of it. Empty where the type has no length (StepLR,
 * ExponentialLR, ReduceLROnPlateau, ...), and where the spec's value is missing, negative
 * or overflows.
 */
@FunctionalInterface
public interface ScheduleLength {

	/** No length: the schedule runs as long as it is stepped. */
	ScheduleLength NONE = (spec) -> OptionalLong.empty();

	/** The length of a schedule with this normalised spec. */
	OptionalLong of(Map<String, ?> spec);

	/**
	 * The one argument that sets this length, if one does: what an amendment's
	 * {@code extend} names (OneCycleLR's {@code total_steps}, Hugging Face's
	 * {@code num_training_steps}, ...).
	 */
	default Optional<String> lengthArgument() {
		return Optional.empty();
	}

	/** This length, or {@code other} where this one is empty. */
	default ScheduleLength orElse(ScheduleLength other) {
		ScheduleLength first = this;
		return new ScheduleLength() {

			@Override
			public OptionalLong of(Map<String, ?> spec) {
				OptionalLong length = first.of(spec);
				return length.isPresent() ? length : other.of(spec);
			}

			@Override
			public Optional<String> lengthArgument() {
				return first.lengthArgument().or(other::lengthArgument);
			}

		};
	}

	/** The value of the integer argument {@code name}. */
	static ScheduleLength argument(String name) {
		return new ScheduleLength() {

			@Override
			public OptionalLong of(Map<String, ?> spec) {
				return steps(spec.get(name));
			}

			@Override
			public Optional<String> lengthArgument() {
				return Optional.of(name);
			}

		};
	}

	/** The product of two integer arguments (OneCycleLR's epochs x steps_per_epoch). */
	static ScheduleLength product(String first, String second) {
		return (spec) -> exactly(steps(spec.get(first)), steps(spec.get(second)), Math::multiplyExact);
	}

	/** The sum of integer arguments, when every one of them is given. */
	static ScheduleLength sum(String... names) {
		return (spec) -> {
			OptionalLong total = OptionalLong.of(0);
			for (String name : names) {
				total = exactly(total, steps(spec.get(name)), Math::addExact);
			}
			return total;
		};
	}

	/**
	 * SequentialLR's: its last milestone (0 without one) plus the length of its last
	 * child, when that child has one.
	 */
	static ScheduleLength sequential(String milestones, String schedulers) {
		return (spec) -> {
			if (!(spec.get(schedulers) instanceof List<?> children) || children.isEmpty()
					|| !(children.get(children.size() - 1) instanceof Map<?, ?> last)) {
				return OptionalLong.empty();
			}
			OptionalLong start = (spec.get(milestones) instanceof List<?> list && !list.isEmpty())
					? steps(list.get(list.size() - 1)) : OptionalLong.of(0);
			return exactly(start, SchedulerCatalogue.length(last), Math::addExact);
		};
	}

	/** {@code a op b} when both are present and it does not overflow, else empty. */
	private static OptionalLong exactly(OptionalLong a, OptionalLong b, LongBinaryOperator op) {
		if (a.isEmpty() || b.isEmpty()) {
			return OptionalLong.empty();
		}
		try {
			return OptionalLong.of(op.applyAsLong(a.getAsLong(), b.getAsLong()));
		}
		catch (ArithmeticException ex) {
			return OptionalLong.empty();
		}
	}

	/** A non-negative whole number of steps, else empty. */
	private static OptionalLong steps(Object value) {
		if (value instanceof Long || value instanceof Integer || value instanceof Short) {
			long steps = ((Number) value).longValue();
			return (steps >= 0) ? OptionalLong.of(steps) : OptionalLong.empty();
		}
		if (value instanceof Number number) {
			double steps = number.doubleValue();
			return (steps >= 0 && steps == Math.rint(steps) && steps < 0x1p63) ? OptionalLong.of((long) steps)
					: OptionalLong.empty();
		}
		return OptionalLong.empty();
	}

}
