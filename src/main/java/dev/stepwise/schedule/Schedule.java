package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.InvalidScheduleException.Kind;
import dev.stepwise.schedule.NodeState.WarmRestarts;

/**
 * A registered schedule: a validated scheduler spec on a given set of param groups, and
 * the operations PyTorch offers on it ({@code __init__}, {@code step()},
 * {@code step(epoch)}, {@code state_dict()}, {@code load_state_dict()}).
 * <p>
 * Immutable and thread-safe; every operation is a pure function from one
 * {@link ScheduleState} to the next. Registration with {@code last_epoch = k}, preview
 * and stepping all go through the same {@link #step}. Build one with
 * {@link #of(Map, List)}.
 */
public final class Schedule {

	/** The most groups a schedule takes. */
	public static final int MAX_GROUPS = 1024;

	/**
	 * The largest {@code last_epoch} a registration may fast-forward to (jumped where the
	 * type allows, else stepped; {@link #MAX_WORK} bounds what it costs).
	 */
	public static final long MAX_FAST_FORWARD = 10_000_000;

	/**
	 * The most work one registration or preview may cost ({@link #cost}); calibrated so
	 * that any request within it computes in well under a second on one core.
	 */
	public static final long MAX_WORK = 25_000_000;

	/**
	 * The most scheduler objects (nested ones included) times param groups: the size of a
	 * state, which holds every scheduler's values for every group.
	 */
	public static final int MAX_STATE_SIZE = 16_384;

	/** The most entries of a list argument such as {@code milestones}. */
	public static final int MAX_LIST_ENTRIES = 100_000;

	/**
	 * The most characters of the {@code lr_lambda} expressions of one scheduler, nested
	 * ones included: 2^18, 256 groups of expressions of 1,000 (each at most
	 * {@code Parser.MAX_LENGTH}). Parsing and storing 1,024 of 897 allocated 103 MB.
	 */
	public static final int MAX_EXPRESSION_CHARACTERS = 262_144;

	/** The most children of one SequentialLR or ChainedScheduler. */
	public static final int MAX_CHILDREN = 64;

	/**
	 * The largest epoch: 2^53, beyond which doubles skip integers. A restored state's
	 * counters stay below it, so no step overflows them.
	 */
	public static final long MAX_EPOCH = 1L << 53;

	/** The key of a spec (and a state document) that names its {@link ScheduleUnit}. */
	private static final String UNIT = "unit";

	/**
	 * The key of a state document of a schedule in tokens or samples that holds what the
	 * steps consumed so far.
	 */
	private static final String CONSUMED = "consumed";

	/**
	 * The key of a group's lr before an extension's continuity factor, in the state
	 * documents of an extended schedule ({@code lr} is what the trainer applies).
	 */
	static final String UNSCALED_LR = "unscaled_lr";

	/** The work of a step beyond its groups', in groups (see {@link #cost}). */
	static final int STEP_OVERHEAD = 8;

	private final LrScheduler scheduler;

	private final ScheduleState initial;

	private final int stateSize;

	private final ScheduleUnit unit;

	/**
	 * The epoch of its own epoch 0: 0 for a registration, an amendment's epoch for the
	 * schedule that amendment put in force (its states count {@code last_epoch} from the
	 * registration, its schedulers from the amendment).
	 */
	private final long origin;

	/** An extension's continuity factor per group, or {@code null}. */
	private final double @Nullable [] lrScale;

	/** The param groups it was built on. */
	private final List<ParamGroup> constructionGroups;

	private Schedule(LrScheduler scheduler, ScheduleState initial, int stateSize, ScheduleUnit unit,
			List<ParamGroup> constructionGroups, long origin, double @Nullable [] lrScale) {
		this.scheduler = scheduler;
		this.initial = initial;
		this.stateSize = stateSize;
		this.unit = unit;
		this.constructionGroups = constructionGroups;
		this.origin = origin;
		this.lrScale = lrScale;
	}

	/**
	 * This schedule as an amendment puts it in force: its epoch 0 is {@code origin}, and
	 * each group's lr is reported times {@code lrScale} (when given).
	 * @param origin the amendment's epoch
	 * @param lrScale the continuity factor of each group, or {@code null}
	 * @return the rebased schedule, whose initial state has {@code last_epoch = origin}
	 */
	public Schedule rebased(long origin, double @Nullable [] lrScale) {
		ScheduleState start = new ScheduleState(origin, this.initial.groups(), this.initial.root(),
				this.initial.reportFlags(), this.initial.consumed(), lrScale);
		return new Schedule(this.scheduler, start, this.stateSize, this.unit, this.constructionGroups, origin, lrScale);
	}

	/** The epoch of its own epoch 0 (an amendment's epoch; 0 for a registration). */
	public long origin() {
		return this.origin;
	}

	/** An extension's continuity factor per group, or {@code null}. */
	double @Nullable [] lrScale() {
		return this.lrScale;
	}

	/** The param groups it was built on, as given to {@link #of}. */
	public List<ParamGroup> constructionGroups() {
		return this.constructionGroups;
	}

	/** A state of this schedule from one its schedulers reached at their own epoch. */
	ScheduleState global(ScheduleState local) {
		return new ScheduleState(local.lastEpoch() + this.origin, local.groups(), local.root(), local.reportFlags(),
				local.consumed(), this.lrScale);
	}

	/** The state before the initial step: what an amendment continues from. */
	ScheduleState initial() {
		return this.initial;
	}

	/**
	 * Parses and validates a scheduler spec and builds it as PyTorch's constructor would
	 * on these param groups.
	 * @param spec the {@code scheduler} object of a request as plain Java values:
	 * {@code String}, {@code Long} for JSON integers, {@code Double} for JSON decimals,
	 * {@code Boolean}, {@code List}, {@code Map}, {@code null} {@code unit}
	 * ({@code steps}, {@code tokens} or {@code samples}, see {@link ScheduleUnit}) is the
	 * schedule's, not the scheduler's: absent means steps
	 * @param groups the optimizer's param groups at registration
	 * @return the schedule
	 * @throws InvalidScheduleException when PyTorch would not build it (field paths start
	 * with {@code scheduler.} or {@code param_groups}), or the unit is not one the type
	 * takes ({@code scheduler.unit})
	 */
	public static Schedule of(Map<String, ?> spec, List<ParamGroup> groups) {
		ScheduleUnit unit = unit(spec.get(UNIT));
		if (spec.containsKey(UNIT)) {
			Map<String, Object> arguments = new LinkedHashMap<>(spec);
			arguments.remove(UNIT);
			return of(arguments, groups, unit);
		}
		return of(spec, groups, unit);
	}

	private static ScheduleUnit unit(@Nullable Object value) {
		if (value == null) {
			return ScheduleUnit.STEPS;
		}
		if (!(value instanceof String name)) {
			throw new InvalidScheduleException(Kind.MALFORMED, "scheduler.unit",
					"must be a string: steps, tokens or samples");
		}
		return ScheduleUnit.named(name)
			.orElseThrow(() -> new InvalidScheduleException(Kind.INVALID, "scheduler.unit",
					"must be steps, tokens or samples, got \"" + name + "\""));
	}

	private static Schedule of(Map<String, ?> spec, List<ParamGroup> groups, ScheduleUnit unit) {
		GroupArrays registered = registeredGroups(groups);
		// a state holds every node's values for every group: bounded before any is built
		long size = stateSize(spec, groups.size());
		if (size > MAX_STATE_SIZE) {
			throw new InvalidScheduleException(Kind.INVALID, "scheduler",
					"schedulers x param groups must not exceed " + MAX_STATE_SIZE + ", got "
							+ (isPerGroup(spec) ? size + " (the children of " + PerGroup.NAME + " on one group each)"
									: schedulers(spec) + " x " + groups.size()));
		}
		Optimizer optimizer = new Optimizer(registered);
		SchedulerFactory.Built built;
		try {
			built = SchedulerFactory.build(new ArgumentReader(spec, "scheduler", groups.size(), groups.get(0).lr()),
					optimizer);
		}
		catch (StepException | ArithmeticException ex) {
			// what Python raises while building a scheduler is a registration error,
			// never a step refusal (the types name the argument where they can)
			throw constructorRaises(ex);
		}
		LrScheduler scheduler = built.scheduler();
		NodeState root = built.state();
		boolean[] report = new boolean[groups.size()];
		for (int i = 0; i < report.length; i++) {
			report[i] = groups.get(i).momentum() != null || scheduler.cyclesMomentum(i);
		}
		if (unit.counted()
				&& !SchedulerCatalogue.named(scheduler.type()).map(SchedulerType::takesUnits).orElse(false)) {
			throw new InvalidScheduleException(Kind.INVALID, List.of(
					new FieldError("scheduler.unit",
							"a schedule in " + unit.jsonName() + " evaluates its lr at the " + unit.jsonName()
									+ " consumed so far, which needs a closed form in the position; " + scheduler.type()
									+ " has none (use steps, or one of " + typesTakingUnits() + ")"),
					new FieldError("scheduler.type", scheduler.type() + " counts steps only")));
		}
		return new Schedule(scheduler, new ScheduleState(0, optimizer.freeze(), root, report), (int) size, unit,
				List.copyOf(groups), 0, null);
	}

	private static List<String> typesTakingUnits() {
		return SchedulerCatalogue.all().stream().filter(SchedulerType::takesUnits).map(SchedulerType::name).toList();
	}

	/**
	 * The scheduler objects of a spec times the groups each runs on: stepwise.PerGroup's
	 * children run on one group each.
	 */
	private static long stateSize(Map<String, ?> spec, int groups) {
		if (isPerGroup(spec) && spec.get("schedulers") instanceof List<?> children) {
			long size = groups;
			for (Object child : children) {
				if (child instanceof Map<?, ?>) {
					size += schedulers(child);
				}
			}
			return size;
		}
		return (long) schedulers(spec) * groups;
	}

	private static boolean isPerGroup(Map<String, ?> spec) {
		return PerGroup.NAME.equals(spec.get("type"));
	}

	/**
	 * The scheduler objects of a spec, nested ones included, as far as it is well formed.
	 */
	private static int schedulers(Object spec) {
		int count = (spec instanceof Map<?, ?> typed && WarmupPlateau.NAME.equals(typed.get("type")))
				? WarmupPlateau.NODES : 1;
		if (spec instanceof Map<?, ?> map && map.get("schedulers") instanceof List<?> children) {
			for (Object child : children) {
				if (child instanceof Map<?, ?>) {
					count += schedulers(child);
				}
			}
		}
		return count;
	}

	private static InvalidScheduleException constructorRaises(RuntimeException ex) {
		return new InvalidScheduleException(Kind.INVALID, "scheduler",
				"PyTorch's constructor raises: " + ex.getMessage());
	}

	private static GroupArrays registeredGroups(List<ParamGroup> groups) {
		if (groups.isEmpty() || groups.size() > MAX_GROUPS) {
			throw new InvalidScheduleException(Kind.INVALID, "param_groups",
					"must hold 1 to " + MAX_GROUPS + " groups, got " + groups.size());
		}
		double[] lr = new double[groups.size()];
		double[] momentum = new double[groups.size()];
		for (int i = 0; i < lr.length; i++) {
			ParamGroup group = groups.get(i);
			if (!Double.isFinite(group.lr()) || group.lr() < 0) {
				throw new InvalidScheduleException(Kind.INVALID, "param_groups[" + i + "].lr",
						"must be a finite number >= 0, got " + group.lr());
			}
			Double given = group.momentum();
			if (given != null && !Double.isFinite(given)) {
				throw new InvalidScheduleException(Kind.INVALID, "param_groups[" + i + "].momentum",
						"must be a finite number, got " + given);
			}
			lr[i] = group.lr();
			momentum[i] = (given != null) ? given : 0.0;
		}
		return GroupArrays.registered(lr, momentum);
	}

	/**
	 * The size of its states: scheduler objects (nested ones included) times param
	 * groups, at most {@link #MAX_STATE_SIZE}.
	 */
	public int stateSize() {
		return this.stateSize;
	}

	/** The param groups it was built on. */
	public int groups() {
		return this.initial.groups().size();
	}

	/** The scheduler type, e.g. {@code OneCycleLR} or {@code cosine}. */
	public String type() {
		return this.scheduler.type();
	}

	/**
	 * The spec with every default filled in, in the same plain-Java form {@link #of}
	 * takes.
	 */
	public Map<String, @Nullable Object> normalizedSpec() {
		if (!this.unit.counted()) {
			return this.scheduler.arguments();
		}
		Map<String, @Nullable Object> spec = new LinkedHashMap<>(this.scheduler.arguments());
		spec.put(UNIT, this.unit.jsonName());
		return spec;
	}

	/** What its position counts: steps, or the tokens or samples the steps consumed. */
	public ScheduleUnit unit() {
		return this.unit;
	}

	/** Whether every step needs a metric (ReduceLROnPlateau). */
	public boolean requiresMetric() {
		return this.scheduler.requiresMetric();
	}

	/**
	 * Whether the schedule is over at {@code state} and refuses further steps (a finished
	 * stepwise.LRRangeTest).
	 */
	public boolean finished(ScheduleState state) {
		return this.scheduler.finished(state.root());
	}

	/** Whether any state may be {@link #finished} (stepwise.LRRangeTest). */
	public boolean finishes() {
		return this.scheduler.finishes();
	}

	/** Whether {@link #stepTo} takes fractional epochs (CosineAnnealingWarmRestarts). */
	public boolean acceptsFractionalEpochs() {
		return this.scheduler instanceof CosineAnnealingWarmRestarts;
	}

	/**
	 * The state after construction, fast-forwarded by {@code lastEpoch} metric-less
	 * steps: exactly the state stepping gives, computed by a jump where the type allows
	 * one (see {@link #cost}).
	 * @param lastEpoch 0 (or -1, PyTorch's default, meaning the same) or the number of
	 * steps already taken
	 * @return the state at {@code lastEpoch}
	 * @throws InvalidScheduleException when the schedule needs metrics and
	 * {@code lastEpoch >= 1}, when its {@link #cost} exceeds {@link #MAX_WORK}, when
	 * PyTorch would raise on the way, or when an lr of the registered state is not finite
	 */
	public ScheduleState start(long lastEpoch) {
		checkLastEpoch(lastEpoch);
		requireWithinWork("last_epoch", cost(lastEpoch, 0));
		return started(lastEpoch);
	}

	/**
	 * The first state of a preview of {@code steps} steps: as {@link #start}, with the
	 * steps counted in the {@link #cost}.
	 * @throws InvalidScheduleException as {@link #start}, or when the preview's cost
	 * exceeds {@link #MAX_WORK}
	 */
	public ScheduleState startPreview(long lastEpoch, int steps) {
		checkLastEpoch(lastEpoch);
		requireWithinWork("steps", cost(lastEpoch, steps));
		return started(lastEpoch);
	}

	private ScheduleState started(long lastEpoch) {
		requireFiniteLr(this.initial, constructionField(), "at construction");
		ScheduleState state = fastForward(lastEpoch);
		requireFiniteLr(state, "last_epoch", "at epoch " + lastEpoch);
		return state;
	}

	private void checkLastEpoch(long lastEpoch) {
		if (lastEpoch < -1 || lastEpoch > MAX_FAST_FORWARD) {
			throw new InvalidScheduleException(Kind.INVALID, "last_epoch",
					"must be -1, 0 or a number of steps up to " + MAX_FAST_FORWARD + ", got " + lastEpoch);
		}
		long withoutMetric = this.scheduler.stepsWithoutMetric();
		if (lastEpoch >= 1 && withoutMetric == 0) {
			throw new InvalidScheduleException(Kind.INVALID, "last_epoch", type()
					+ " needs a metric for every step, so it cannot be fast-forwarded; register at 0 and post the steps");
		}
		if (lastEpoch >= 1 && this.unit.counted()) {
			throw new InvalidScheduleException(Kind.INVALID, "last_epoch",
					"a schedule in " + this.unit.jsonName()
							+ " starts at 0: the steps before it do not say what they consumed; register at 0 and"
							+ " restore the position with PUT .../state (its consumed key)");
		}
		if (lastEpoch > withoutMetric) {
			throw new InvalidScheduleException(Kind.INVALID, "last_epoch",
					type() + " needs a metric for every step after its first " + withoutMetric
							+ ", so it can be fast-forwarded to at most last_epoch " + withoutMetric + ", got "
							+ lastEpoch + "; register there and post the steps with their metrics");
		}
	}

	private void requireWithinWork(String field, long cost) {
		if (cost > MAX_WORK) {
			throw new InvalidScheduleException(Kind.INVALID, field, "this request costs " + cost
					+ " work units (steps to compute x param groups x scheduler weight), more than the limit of "
					+ MAX_WORK + "; take fewer steps, a smaller last_epoch or fewer param groups");
		}
	}

	private ScheduleState fastForward(long lastEpoch) {
		if (lastEpoch <= 0) {
			return this.initial;
		}
		Optimizer optimizer = new Optimizer(this.initial.groups());
		NodeState root;
		try {
			root = this.scheduler.fastForward(this.initial.root(), optimizer, lastEpoch);
		}
		catch (StepException | ArithmeticException ex) {
			String message = (ex instanceof ArithmeticException) ? Py.refused(ex.getMessage()).getMessage()
					: ex.getMessage();
			throw new InvalidScheduleException(Kind.INVALID, "last_epoch",
					"PyTorch raises before epoch " + lastEpoch + ": " + message);
		}
		return new ScheduleState(lastEpoch, optimizer.freeze(), root, this.initial.reportFlags());
	}

	/**
	 * What computing a registration or a preview costs, in work units, before any of it
	 * is done: {@code (groups + 8) · (F + (steps + 1) · (w + 5 · n))}, where the 8 is the
	 * work of a step that does not grow with the groups (as much as about 8 groups' at 1
	 * group, measured), {@code w} is the scheduler's weight (1 per scheduler node, plus
	 * the size in tokens of every {@code lr_lambda} or {@code scale_fn} it evaluates,
	 * summed over a composite's children), {@code 5 · n} the states a step builds for its
	 * {@code n} scheduler objects ({@link LrScheduler#STATE_WORK}), the 1 is the
	 * construction, and {@code F} is the fast-forward's work per group:
	 * {@code lastEpoch · (w + 5 · n)} where it is stepped, the size of the expressions
	 * evaluated at every epoch on the way where a jump must still check them for errors,
	 * and about 1 where the type jumps in closed form (see
	 * {@link LrScheduler#fastForwardCost}). One unit is about one scheduler's step of one
	 * group; see {@link #MAX_WORK}.
	 * @param lastEpoch the fast-forward, as for {@link #start}
	 * @param steps the steps after it (0 for a registration)
	 * @return the work units, saturating at {@code Long.MAX_VALUE}
	 */
	public long cost(long lastEpoch, int steps) {
		long fastForward = (lastEpoch > 0) ? this.scheduler.fastForwardCost(this.initial.root(), lastEpoch) : 0;
		long perGroup = LrScheduler.plus(fastForward, LrScheduler.work(steps + 1L, this.scheduler.stepWork()));
		return LrScheduler.work(this.initial.groups().size() + STEP_OVERHEAD, perGroup);
	}

	/**
	 * Stricter than PyTorch, which would train on it: a registration starts from finite
	 * learning rates (a later step may still reach inf, as in PyTorch).
	 */
	private static void requireFiniteLr(ScheduleState state, String field, String when) {
		double[] lr = state.groups().lr();
		for (int i = 0; i < lr.length; i++) {
			if (!Double.isFinite(lr[i])) {
				throw new InvalidScheduleException(Kind.INVALID, field, "gives param_groups[" + i + "].lr = " + lr[i]
						+ " " + when + "; a registered lr must be finite (PyTorch would take it)");
			}
		}
	}

	/** The argument that computes the lr at construction, where one expression does. */
	private String constructionField() {
		return switch (type()) {
			case "LambdaLR", "MultiplicativeLR" -> "scheduler.lr_lambda";
			case "CyclicLR" -> (normalizedSpec().get("scale_fn") != null) ? "scheduler.scale_fn" : "scheduler";
			default -> "scheduler";
		};
	}

	/**
	 * One {@code step()} (or {@code step(metric)} for ReduceLROnPlateau).
	 * @param state the current state
	 * @param metric the validation metric; may be NaN or infinite; ignored by schedulers
	 * that take none
	 * @return the next state, {@code last_epoch + 1}
	 * @throws StepException when PyTorch raises in this step or a required metric is
	 * missing
	 */
	public ScheduleState step(ScheduleState state, @Nullable Double metric) {
		if (this.unit.counted()) {
			throw new IllegalStateException("a schedule in " + this.unit.jsonName() + " steps by what it consumed");
		}
		return step(state, metric, state.lastEpoch() + 1, 0);
	}

	/**
	 * One {@code step()} of a schedule in tokens or samples that consumed
	 * {@code consumed} of them: the lr is evaluated at the position
	 * {@code state.consumed() + consumed}, {@code last_epoch} counts the step. Posting 1
	 * at every step gives exactly the schedule in steps.
	 * @param state the current state
	 * @param metric the validation metric, or {@code null}
	 * @param consumed what the step consumed, from 1 to {@link #maxConsumed}
	 * @return the next state
	 * @throws StepException when Hugging Face's lambda raises at the new position
	 */
	public ScheduleState step(ScheduleState state, @Nullable Double metric, long consumed) {
		if (!this.unit.counted()) {
			throw new IllegalStateException("a schedule in steps takes no consumption");
		}
		if (consumed < 1 || consumed > maxConsumed(state)) {
			throw new IllegalArgumentException("consumed must be 1 to " + maxConsumed(state) + ", got " + consumed);
		}
		return step(state, metric, state.consumed() + consumed, state.consumed() + consumed);
	}

	/**
	 * The most a step from {@code state} may consume: the position stays at most
	 * {@link #MAX_EPOCH}, where doubles still count every unit.
	 */
	public static long maxConsumed(ScheduleState state) {
		return MAX_EPOCH - state.consumed();
	}

	private ScheduleState step(ScheduleState state, @Nullable Double metric, long position, long consumed) {
		if (metric == null && this.scheduler.needsMetric(state.root())) {
			long withoutMetric = this.scheduler.stepsWithoutMetric();
			throw new StepException(StepException.Reason.METRIC_REQUIRED,
					type() + ((withoutMetric == 0) ? " needs the validation metric for every step"
							: " needs the validation metric for every step after its first " + withoutMetric)
							+ ": send \"metric\"");
		}
		Optimizer optimizer = new Optimizer(state.groups());
		NodeState root;
		try {
			root = this.unit.counted() ? this.scheduler.stepAt(state.root(), optimizer, position)
					: this.scheduler.step(state.root(), optimizer, (metric != null) ? metric : Double.NaN);
		}
		catch (ArithmeticException ex) {
			throw Py.refused(ex.getMessage());
		}
		return new ScheduleState(state.lastEpoch() + 1, optimizer.freeze(), root, state.reportFlags(), consumed,
				this.lrScale);
	}

	/**
	 * A step to an explicit, possibly fractional epoch: CosineAnnealingWarmRestarts'
	 * {@code step(epoch)}, which sets the position by its closed form. An integral
	 * {@code epoch == last_epoch + 1} from an integral position is PyTorch's plain
	 * {@code step()}, for every type.
	 * @param state the current state
	 * @param epoch the epoch to step to
	 * @param metric the validation metric, or {@code null}
	 * @return the state at {@code epoch} ({@code last_epoch = floor(epoch)})
	 * @throws StepException when the type takes no fractional epochs or PyTorch raises
	 */
	public ScheduleState stepTo(ScheduleState state, double epoch, @Nullable Double metric) {
		boolean integral = Double.isFinite(epoch) && epoch == Math.rint(epoch);
		boolean next = integral && epoch == state.lastEpoch() + 1;
		if (!(this.scheduler instanceof CosineAnnealingWarmRestarts warmRestarts)) {
			if (!integral) {
				throw new StepException(StepException.Reason.FRACTIONAL_EPOCH_UNSUPPORTED,
						type() + " takes integral epochs only; fractional epochs are for CosineAnnealingWarmRestarts");
			}
			if (!next) {
				throw new StepException(StepException.Reason.REFUSED,
						"the next epoch is " + (state.lastEpoch() + 1) + ", not " + (long) epoch);
			}
			return step(state, metric);
		}
		WarmRestarts position = (WarmRestarts) state.root();
		if (next && position.tCur() == Math.rint(position.tCur())) {
			return step(state, metric);
		}
		if (!Double.isFinite(epoch) || epoch > MAX_FAST_FORWARD) {
			throw Py.refused("epoch must be a finite number up to " + MAX_FAST_FORWARD + ", got " + epoch);
		}
		Optimizer optimizer = new Optimizer(state.groups());
		NodeState root;
		try {
			root = warmRestarts.stepTo(position, optimizer, epoch - this.origin);
		}
		catch (ArithmeticException ex) {
			throw Py.refused(ex.getMessage());
		}
		return new ScheduleState((long) Math.floor(epoch), optimizer.freeze(), root, state.reportFlags(),
				state.consumed(), this.lrScale);
	}

	/**
	 * The states after registration and after each of {@code steps} steps, computed
	 * without storing, handed to {@code sink} one at a time as they are computed: only
	 * the current state is held (a state keeps no reference to the ones before it).
	 * @param lastEpoch as for {@link #start}
	 * @param steps how many steps to take
	 * @param metrics one metric per step for schedulers that need them (others may pass
	 * an empty list)
	 * @param sink takes {@code steps + 1} states, in order
	 * @throws InvalidScheduleException as {@link #start}, or when the preview's
	 * {@link #cost} exceeds {@link #MAX_WORK}, before any state is handed out
	 * @throws StepException when PyTorch raises in one of the steps, after the states
	 * before it were handed out
	 */
	public void preview(long lastEpoch, int steps, List<@Nullable Double> metrics, Consumer<ScheduleState> sink) {
		preview(lastEpoch, steps, metrics, List.of(), sink);
	}

	/**
	 * {@link #preview(long, int, List, Consumer)} of a schedule in tokens or samples:
	 * step {@code i} consumes {@code consumed.get(i)}, or the one value given for every
	 * step (ignored for a schedule in steps).
	 * @throws IllegalArgumentException when a schedule in tokens or samples has no
	 * consumption for a step, or one it cannot take (see
	 * {@link #step(ScheduleState, Double, long)})
	 */
	public void preview(long lastEpoch, int steps, List<@Nullable Double> metrics, List<Long> consumed,
			Consumer<ScheduleState> sink) {
		previewFrom(startPreview(lastEpoch, steps), steps, metrics, consumed, sink);
	}

	/**
	 * The rest of a {@link #preview(long, int, List, List, Consumer) preview} from its
	 * first state, {@link #startPreview}'s.
	 */
	public void previewFrom(ScheduleState first, int steps, List<@Nullable Double> metrics, List<Long> consumed,
			Consumer<ScheduleState> sink) {
		if (this.unit.counted() && consumed.size() != 1 && consumed.size() < steps) {
			throw new IllegalArgumentException(
					"a schedule in " + this.unit.jsonName() + " needs one consumption for every step, or one for all");
		}
		ScheduleState state = first;
		sink.accept(state);
		for (int i = 0; i < steps; i++) {
			Double metric = (i < metrics.size()) ? metrics.get(i) : null;
			state = this.unit.counted() ? step(state, metric, consumed.get((consumed.size() == 1) ? 0 : i))
					: step(state, metric);
			sink.accept(state);
		}
	}

	/**
	 * {@link #preview(long, int, List, Consumer)} into a list.
	 * @return {@code steps + 1} states
	 */
	public List<ScheduleState> preview(long lastEpoch, int steps, List<@Nullable Double> metrics) {
		List<ScheduleState> states = new ArrayList<>(steps + 1);
		preview(lastEpoch, steps, metrics, states::add);
		return states;
	}

	/**
	 * The full internal state as a document named like PyTorch's {@code state_dict()}
	 * keys ({@code last_epoch}, {@code _step_count}, {@code base_lrs}, {@code _last_lr},
	 * {@code best}, {@code T_cur}, {@code _schedulers}, ...) plus {@code type} and
	 * {@code param_groups} (the optimizer side: {@code lr}, {@code momentum},
	 * {@code initial_lr}, ...). Plain Java values; non-finite doubles stay doubles (the
	 * JSON layer writes them as strings). Lossless: {@link #fromStateDict} of it gives
	 * back an equal state.
	 */
	public Map<String, Object> stateDict(ScheduleState state) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("type", type());
		document.put("last_epoch", state.lastEpoch());
		if (this.unit.counted()) {
			document.put(UNIT, this.unit.jsonName());
			document.put(CONSUMED, state.consumed());
		}
		document.putAll(this.scheduler.stateDict(state.root()));
		if (this.origin != 0) {
			// the schedulers count from the amendment; the document from the registration
			document.put("last_epoch", state.lastEpoch());
		}
		document.put("param_groups", groupDicts(state));
		return document;
	}

	private List<Map<String, Object>> groupDicts(ScheduleState state) {
		GroupArrays groups = state.groups();
		List<Map<String, Object>> list = new ArrayList<>(groups.size());
		for (int i = 0; i < groups.size(); i++) {
			Map<String, Object> group = new LinkedHashMap<>();
			group.put("lr", state.lr(i));
			if (this.lrScale != null) {
				group.put(UNSCALED_LR, groups.lr()[i]);
			}
			if (state.reportsMomentum(i)) {
				group.put("momentum", groups.momentum()[i]);
			}
			putPresent(group, "initial_lr", groups.initialLr()[i]);
			putPresent(group, "max_lr", groups.maxLr()[i]);
			putPresent(group, "min_lr", groups.minLr()[i]);
			putPresent(group, "max_momentum", groups.maxMomentum()[i]);
			putPresent(group, "base_momentum", groups.baseMomentum()[i]);
			list.add(group);
		}
		return list;
	}

	private static void putPresent(Map<String, Object> group, String key, double value) {
		if (!Double.isNaN(value)) {
			group.put(key, value);
		}
	}

	/**
	 * Reads a document written by {@link #stateDict} (a stored state); non-finite numbers
	 * may be given as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
	 * Hyperparameter keys are ignored: the registered spec stays authoritative.
	 * @throws InvalidStateException when the document does not fit this schedule
	 */
	public ScheduleState fromStateDict(Map<String, ?> document) {
		return read(document, false);
	}

	/**
	 * Reads a document a client sent to replace the state, strictly: as
	 * {@link #fromStateDict}, and every number must be one stepping reaches from a
	 * registration (finite, lr {@code >= 0}, counters from their start up to
	 * {@link #MAX_EPOCH}), and the hyperparameters it holds must be the registered ones
	 * (a document restores a position; PyTorch's {@code load_state_dict} would apply
	 * them, changing the schedule).
	 * @throws InvalidStateException naming the offending entries
	 */
	public ScheduleState restore(Map<String, ?> document) {
		ScheduleState state = read(document, true);
		List<FieldError> differing = new ArrayList<>();
		differingHyperparameters(this.scheduler, new StateReader(document, "state", state.groups().size(), true),
				differing);
		if (!differing.isEmpty()) {
			throw new InvalidStateException("its hyperparameters differ from the registered spec ("
					+ differing.stream().map(FieldError::field).toList()
					+ "); a state document restores a position, register a new scheduler to change the schedule",
					differing);
		}
		return state;
	}

	private static void differingHyperparameters(LrScheduler scheduler, StateReader reader,
			List<FieldError> differing) {
		reader.differingKeys(scheduler.hyperparameters(), differing);
		if (scheduler instanceof PerGroup perGroup) {
			List<StateReader> children = perGroup.childReaders(reader);
			for (int i = 0; i < children.size(); i++) {
				differingHyperparameters(perGroup.children().get(i), children.get(i), differing);
			}
		}
		if (scheduler instanceof Composite composite) {
			List<StateReader> children = reader.children(composite.children().size());
			for (int i = 0; i < children.size(); i++) {
				differingHyperparameters(composite.children().get(i), children.get(i), differing);
			}
		}
	}

	private ScheduleState read(Map<String, ?> document, boolean strict) {
		Object type = document.get("type");
		if (type != null && !type().equals(type)) {
			throw new InvalidStateException("state.type", "is " + type + " but the scheduler is " + type());
		}
		int size = this.initial.groups().size();
		StateReader reader = new StateReader(document, "state", size, strict);
		long lastEpoch = reader.counter("last_epoch", 0);
		if (lastEpoch < 0) {
			throw reader.invalid("last_epoch", "must not be negative");
		}
		long consumed = 0;
		if (this.unit.counted()) {
			Object unit = document.get(UNIT);
			if (unit != null && !this.unit.jsonName().equals(unit)) {
				throw new InvalidStateException("state.unit",
						"is " + unit + " but the schedule counts " + this.unit.jsonName());
			}
			consumed = reader.counter(CONSUMED, 0);
			if (consumed < 0) {
				throw reader.invalid(CONSUMED, "must not be negative");
			}
		}
		if (lastEpoch < this.origin) {
			throw reader.invalid("last_epoch", "is before the amendment in force (from epoch " + this.origin + ")");
		}
		GroupArrays groups = readGroups(reader.require("param_groups"), size, strict);
		StateReader local = reader;
		if (this.origin != 0) {
			// the schedulers count from the amendment
			Map<String, Object> shifted = new LinkedHashMap<>(document);
			shifted.put("last_epoch", lastEpoch - this.origin);
			local = new StateReader(shifted, "state", size, strict);
		}
		NodeState root = this.scheduler.readState(local);
		return new ScheduleState(lastEpoch, groups, root, this.initial.reportFlags(), consumed, this.lrScale);
	}

	private GroupArrays readGroups(Object value, int size, boolean strict) {
		if (!(value instanceof List<?> list) || list.size() != size) {
			throw new InvalidStateException("state.param_groups", "must be a list of " + size + " groups");
		}
		double[] lr = new double[size];
		double[] momentum = new double[size];
		double[][] keys = { Optimizer.absent(size), Optimizer.absent(size), Optimizer.absent(size),
				Optimizer.absent(size), Optimizer.absent(size) };
		String[] names = { "initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum" };
		for (int i = 0; i < size; i++) {
			if (!(list.get(i) instanceof Map<?, ?> group)) {
				throw new InvalidStateException("state.param_groups[" + i + "]", "must be an object");
			}
			@SuppressWarnings("unchecked")
			StateReader reader = new StateReader((Map<String, ?>) group, "state.param_groups[" + i + "]", size, strict);
			lr[i] = reader.finite((this.lrScale != null) ? UNSCALED_LR : "lr");
			if (strict && lr[i] < 0) {
				throw reader.invalid("lr", "must be a finite number >= 0, got " + lr[i]);
			}
			momentum[i] = this.initial.reportFlags()[i] ? reader.finite("momentum") : 0.0;
			for (int k = 0; k < names.length; k++) {
				if (group.get(names[k]) != null) {
					keys[k][i] = reader.finite(names[k]);
				}
			}
		}
		return new GroupArrays(lr, momentum, keys[0], keys[1], keys[2], keys[3], keys[4]);
	}

}
