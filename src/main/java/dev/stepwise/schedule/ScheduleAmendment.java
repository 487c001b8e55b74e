package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.InvalidScheduleException.Kind;

/**
 * A change of a schedule mid-run, as a pure function: the schedule in force up to an
 * epoch {@code E} and its state there give the schedule in force from {@code E} on and
 * its state at {@code E}. Every change builds a whole new {@link Schedule} (an engine
 * type with its own arguments) whose epoch 0 is an epoch of the run
 * ({@link Schedule#rebased}), so an amended run is stepped, fast-forwarded, stored and
 * restored as any other.
 * <ul>
 * <li>{@link NewSpec}: the rest of the run follows {@code spec}, constructed at {@code E}
 * on the groups with the lr in force {@code x} as their lr (continuous), or on the
 * registered groups.</li>
 * <li>{@link Extend}: the schedule in force with its length argument set to the new total
 * {@code T}, as it would have been registered, stepped to {@code E} (its warmup and shape
 * kept), each group's lr times {@code c = x / new(E)} so it is continuous at {@code E}:
 * {@code lr(t) = x · new(t) / new(E)}. For a linear decay to 0 this is exactly the
 * remainder stretched to end at {@code T}, {@code x · (T − t) / (T − E)}; {@code c = 1}
 * where {@code new(E)} is 0 or not finite. Momentum follows {@code new}, unscaled.</li>
 * <li>{@link DecayNow}: from {@code x}, {@code lr(E + s) = x · (r + (1 − r) · f(s / n))}
 * for {@code 0 <= s <= n}, then {@code x · r}, with Hugging Face's WSD decay shapes
 * {@code f}: linear {@code 1 − p}, cosine {@code (1 + cos(π p)) / 2}, 1-sqrt
 * {@code 1 − √p}. It is the engine's {@code warmup_stable_decay} with no warmup and no
 * stable phase, constructed on the groups at {@code x}.</li>
 * </ul>
 */
public final class ScheduleAmendment {

	/** The decay shapes of {@link DecayNow}, Hugging Face WSD's. */
	public static final List<String> DECAY_TYPES = List.of("linear", "cosine", "1-sqrt");

	/** The types whose lr stands still from the start: decay_now fits them always. */
	private static final Set<String> CONSTANT_TYPES = Set.of("constant", "ReduceLROnPlateau", "reduce_lr_on_plateau");

	private ScheduleAmendment() {
	}

	/** What an amendment changes. */
	public sealed interface Change permits NewSpec, Extend, DecayNow {

	}

	/**
	 * The rest of the run follows a new spec.
	 *
	 * @param spec the {@code scheduler} object, as {@link Schedule#of} takes it
	 */
	public record NewSpec(Map<String, ?> spec) implements Change {
	}

	/**
	 * The schedule lasts longer.
	 *
	 * @param argument the argument named, which must be the type's length argument
	 * @param total the new length, counted from the registration
	 */
	public record Extend(String argument, long total) implements Change {
	}

	/**
	 * The decay starts now.
	 *
	 * @param decaySteps {@code n}, at least 1
	 * @param decayType one of {@link #DECAY_TYPES}
	 * @param minLrRatio {@code r}, in [0, 1]
	 */
	public record DecayNow(long decaySteps, String decayType, double minLrRatio) implements Change {
	}

	/**
	 * What the schedule in force is built from, stored with the amendment.
	 *
	 * @param scheduler the spec
	 * @param paramGroups the groups it is constructed on
	 * @param origin the epoch of its epoch 0
	 * @param lrScale each group's continuity factor, or {@code null}
	 */
	public record Source(Map<String, ?> scheduler, List<ParamGroup> paramGroups, long origin,
			double @Nullable [] lrScale) {

		/** Builds the schedule (as validated when the amendment was made). */
		public Schedule build() {
			return Schedule.of(this.scheduler, this.paramGroups).rebased(this.origin, this.lrScale);
		}

	}

	/**
	 * The schedule in force from the amendment's epoch on.
	 *
	 * @param source what it is built from
	 * @param schedule the schedule
	 * @param state its state at the amendment's epoch
	 */
	public record Amended(Source source, Schedule schedule, ScheduleState state) {
	}

	/**
	 * Amends the schedule in force at {@code state}'s epoch.
	 * @param inForce the schedule in force up to the amendment
	 * @param state its state at the amendment's epoch {@code E}
	 * @param change what changes
	 * @param continuous whether the new part starts from the lr in force (else from the
	 * {@code registered} groups' lr; an extension is then not scaled)
	 * @param registered the param groups as registered
	 * @return the schedule in force from {@code E} and its state there
	 * @throws InvalidScheduleException naming the field ({@code scheduler...},
	 * {@code extend...}, {@code decay_now...}) when the change does not fit
	 */
	public static Amended amend(Schedule inForce, ScheduleState state, Change change, boolean continuous,
			List<ParamGroup> registered) {
		refuseUnits(inForce, change, registered);
		if (change instanceof NewSpec newSpec) {
			return startingAt(newSpec.spec(), state, continuous, registered);
		}
		if (change instanceof DecayNow decay) {
			return decayNow(inForce, state, decay, continuous, registered);
		}
		return extend(inForce, state, (Extend) change, continuous);
	}

	/**
	 * Checks, before its epoch is reached, what {@link #amend} would check at
	 * {@code atEpoch} without the state there: the spec, the fit of a shortcut and its
	 * arguments (what only the state decides, such as the cost of an extension's
	 * fast-forward, is checked when the epoch is reached).
	 * @throws InvalidScheduleException as {@link #amend}
	 */
	public static void check(Schedule inForce, long atEpoch, Change change, List<ParamGroup> registered) {
		refuseUnits(inForce, change, registered);
		if (change instanceof NewSpec newSpec) {
			Schedule.of(newSpec.spec(), registered);
		}
		else if (change instanceof DecayNow decay) {
			checkDecay(inForce, atEpoch, decay);
		}
		else {
			longer(inForce, atEpoch, (Extend) change);
		}
	}

	/**
	 * Amendments continue a schedule by its steps; a schedule in tokens or samples
	 * continues by what its steps consumed, which they do not carry (not supported yet).
	 */
	private static void refuseUnits(Schedule inForce, Change change, List<ParamGroup> registered) {
		if (inForce.unit().counted()) {
			throw new InvalidScheduleException(Kind.INVALID, "scheduler.unit", "the schedule in force counts "
					+ inForce.unit().jsonName() + ": amendments take schedules in steps only (not supported yet)");
		}
		if (change instanceof NewSpec newSpec && Schedule.of(newSpec.spec(), registered).unit().counted()) {
			throw new InvalidScheduleException(Kind.INVALID, "scheduler.unit",
					"an amendment's schedule counts steps only (not supported yet)");
		}
	}

	private static Amended startingAt(Map<String, ?> spec, ScheduleState state, boolean continuous,
			List<ParamGroup> registered) {
		List<ParamGroup> groups = continuous ? state.paramGroups() : registered;
		Source source = new Source(spec, groups, state.lastEpoch(), null);
		Schedule schedule = source.build();
		// refuses a non-finite lr at construction, as a registration does
		return new Amended(source, schedule, schedule.start(0));
	}

	private static Amended decayNow(Schedule inForce, ScheduleState state, DecayNow decay, boolean continuous,
			List<ParamGroup> registered) {
		checkDecay(inForce, state.lastEpoch(), decay);
		Map<String, Object> spec = new LinkedHashMap<>();
		spec.put("type", "warmup_stable_decay");
		spec.put("num_warmup_steps", 0L);
		spec.put("num_stable_steps", 0L);
		spec.put("num_decay_steps", decay.decaySteps());
		spec.put("decay_type", decay.decayType());
		spec.put("min_lr_ratio", decay.minLrRatio());
		return startingAt(spec, state, continuous, registered);
	}

	private static void checkDecay(Schedule inForce, long epoch, DecayNow decay) {
		long local = epoch - inForce.origin();
		if (!decayFits(inForce.type(), inForce.normalizedSpec(), local)) {
			throw new InvalidScheduleException(Kind.INVALID, "decay_now", "does not fit " + inForce.type()
					+ " at epoch " + epoch
					+ ": it starts a decay from a steady lr, so it fits warmup_stable_decay in its stable phase,"
					+ " constant, constant_with_warmup after its warmup, ConstantLR after total_iters,"
					+ " ReduceLROnPlateau, reduce_lr_on_plateau and stepwise.WarmupPlateau after its warmup; amend with a new \"scheduler\" instead");
		}
		if (decay.decaySteps() < 1 || decay.decaySteps() > Schedule.MAX_EPOCH) {
			throw new InvalidScheduleException(Kind.INVALID, "decay_now.decay_steps",
					"must be an integer from 1 to " + Schedule.MAX_EPOCH + ", got " + decay.decaySteps());
		}
		if (!DECAY_TYPES.contains(decay.decayType())) {
			throw new InvalidScheduleException(Kind.INVALID, "decay_now.decay_type",
					"must be one of " + DECAY_TYPES + ", got '" + decay.decayType() + "'");
		}
		double ratio = decay.minLrRatio();
		if (!(ratio >= 0 && ratio <= 1)) {
			throw new InvalidScheduleException(Kind.INVALID, "decay_now.min_lr_ratio",
					"must be a number from 0 to 1, got " + ratio);
		}
	}

	/**
	 * Whether the lr of a schedule of this type stands still at {@code epoch} (its own),
	 * so a decay may start there.
	 */
	static boolean decayFits(String type, Map<String, ?> spec, long epoch) {
		if (CONSTANT_TYPES.contains(type)) {
			return true;
		}
		return switch (type) {
			case "constant_with_warmup" -> epoch >= integer(spec, "num_warmup_steps");
			case "ConstantLR" -> epoch >= integer(spec, "total_iters");
			case "stepwise.WarmupPlateau" -> epoch >= integer(spec, "warmup_steps");
			case "warmup_stable_decay" -> {
				long warmup = integer(spec, "num_warmup_steps");
				long decay = integer(spec, "num_decay_steps");
				long stable = (spec.get("num_stable_steps") != null) ? integer(spec, "num_stable_steps")
						: integer(spec, "num_training_steps") - warmup - decay;
				yield epoch >= warmup && epoch <= warmup + stable;
			}
			default -> false;
		};
	}

	private static long integer(Map<String, ?> spec, String name) {
		return (spec.get(name) instanceof Number number) ? number.longValue() : Long.MAX_VALUE;
	}

	private static Amended extend(Schedule inForce, ScheduleState state, Extend extend, boolean continuous) {
		long epoch = state.lastEpoch();
		long origin = inForce.origin();
		Schedule longer = longer(inForce, epoch, extend);
		ScheduleState reached;
		try {
			reached = longer.start(epoch - origin);
		}
		catch (InvalidScheduleException ex) {
			throw new InvalidScheduleException(Kind.INVALID, "extend." + extend.argument(),
					"the extended schedule cannot be built: " + ex.getMessage());
		}
		double[] scale = null;
		if (continuous) {
			scale = new double[reached.groupCount()];
			for (int i = 0; i < scale.length; i++) {
				double unscaled = reached.lr(i);
				double inForceLr = state.lr(i);
				scale[i] = (unscaled != 0 && Double.isFinite(unscaled) && Double.isFinite(inForceLr))
						? inForceLr / unscaled : 1.0;
			}
		}
		Source source = new Source(longer.normalizedSpec(), inForce.constructionGroups(), origin, scale);
		Schedule schedule = longer.rebased(origin, scale);
		return new Amended(source, schedule, schedule.global(reached));
	}

	/**
	 * The schedule in force with its length argument set to {@code extend}'s total, as
	 * registered (from its own epoch 0).
	 */
	private static Schedule longer(Schedule inForce, long epoch, Extend extend) {
		SchedulerType type = SchedulerCatalogue.named(inForce.type()).orElseThrow();
		Optional<String> length = type.length().lengthArgument();
		String field = "extend." + extend.argument();
		if (length.isEmpty()) {
			throw new InvalidScheduleException(Kind.INVALID, "extend",
					inForce.type()
							+ " has no length argument to extend; extend fits the types that declare one (OneCycleLR's"
							+ " total_steps, CosineAnnealingLR's T_max, num_training_steps, total_iters, ...)");
		}
		if (!length.get().equals(extend.argument())) {
			throw new InvalidScheduleException(Kind.INVALID, field,
					"is not the length of " + inForce.type() + ": extend {\"" + length.get() + "\": <total>}");
		}
		if (extend.total() <= epoch || extend.total() > Schedule.MAX_FAST_FORWARD) {
			throw new InvalidScheduleException(Kind.INVALID, field, "must be a total beyond at_epoch (" + epoch
					+ ") and at most " + Schedule.MAX_FAST_FORWARD + ", got " + extend.total());
		}
		long origin = inForce.origin();
		Map<String, Object> spec = new LinkedHashMap<>(inForce.normalizedSpec());
		spec.put(extend.argument(), extend.total() - origin);
		Schedule longer;
		try {
			longer = Schedule.of(spec, inForce.constructionGroups());
			OptionalLong total = SchedulerCatalogue.length(longer.normalizedSpec());
			if (total.isEmpty() || total.getAsLong() != extend.total() - origin) {
				throw new InvalidScheduleException(Kind.INVALID, field,
						"does not set the length of this " + inForce.type()
								+ " (another argument does, e.g. num_stable_steps); amend with a new"
								+ " \"scheduler\" instead");
			}
		}
		catch (InvalidScheduleException ex) {
			if (ex.errors().size() == 1 && ex.errors().get(0).field().equals(field)) {
				throw ex;
			}
			throw new InvalidScheduleException(Kind.INVALID, field,
					"the extended schedule cannot be built: " + ex.getMessage());
		}
		return longer;
	}

	/** Each group's lr in force, for a record of the amendment. */
	public static List<Double> lrs(ScheduleState state) {
		List<Double> lrs = new ArrayList<>(state.groupCount());
		for (int i = 0; i < state.groupCount(); i++) {
			lrs.add(state.lr(i));
		}
		return lrs;
	}

}
