package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Plateau;
import dev.stepwise.schedule.NodeState.Progress;
import dev.stepwise.schedule.NodeState.WarmupThenPlateau;

import static dev.stepwise.schedule.KeywordArgument.choice;
import static dev.stepwise.schedule.KeywordArgument.optional;
import static dev.stepwise.schedule.KeywordArgument.required;

/**
 * {@code stepwise.WarmupPlateau(warmup_steps, warmup_type='linear',
 * warmup_start_factor=0.01, **ReduceLROnPlateau's arguments)}: a warmup over
 * {@code W = warmup_steps} steps, then ReduceLROnPlateau, which PyTorch's SequentialLR
 * cannot hold. The warmup is PyTorch's {@code LinearLR(start_factor=f, end_factor=1.0,
 * total_iters=W)} ({@code linear}) or {@code LambdaLR(lambda e: f ** (1 - e / W))}
 * ({@code exponential}), stepped {@code W} times: {@code base_lr · f} at construction,
 * {@code base_lr} at epoch {@code W}. Then a {@code ReduceLROnPlateau} is constructed on
 * the same groups, so its counters ({@code best}, {@code num_bad_epochs},
 * {@code cooldown_counter}, its own {@code last_epoch}) start at the end of the warmup:
 * the metric of step {@code W + 1} is the first it counts. Steps 1 to {@code W} take a
 * metric or none (it is recorded in the history, not counted); every later step needs
 * one. A registration may fast-forward to at most {@code last_epoch = W}.
 *
 * @param warmup the warmup scheduler (LinearLR or LambdaLR)
 * @param plateau the ReduceLROnPlateau that takes over at epoch {@code W}
 * @param warmupSteps {@code W}, at least 1
 * @param arguments the normalised arguments
 */
record WarmupPlateau(Chainable warmup, ReduceLROnPlateau plateau, long warmupSteps,
		Map<String, @Nullable Object> arguments) implements RootOnly {

	static final String NAME = "stepwise.WarmupPlateau";

	/** The scheduler objects it holds: its warmup and its plateau. */
	static final int NODES = 2;

	static final SchedulerType TYPE = new SchedulerType(NAME,
			"Stepwise (not a PyTorch class): a linear or exponential warmup over warmup_steps steps, then "
					+ "ReduceLROnPlateau with its counters starting at the end of the warmup; the metric of step "
					+ "warmup_steps + 1 is the first counted, and every step from then on needs one.",
			"warmup from `base_lr · warmup_start_factor` to `base_lr` over `warmup_steps`, then as `ReduceLROnPlateau`"
					+ " (metric needed after the warmup)",
			declaredArguments());

	private static List<KeywordArgument> declaredArguments() {
		List<KeywordArgument> arguments = new ArrayList<>(List.of(
				required("warmup_steps", ArgumentKind.INTEGER,
						"Steps of the warmup, at least 1; the plateau counts metrics from step warmup_steps + 1."),
				choice("warmup_type", "linear",
						"linear: PyTorch's LinearLR(start_factor, 1.0, warmup_steps); exponential: base_lr * "
								+ "warmup_start_factor ** (1 - epoch / warmup_steps).",
						"linear", "exponential"),
				optional("warmup_start_factor", ArgumentKind.NUMBER, 0.01,
						"Factor of the lr at epoch 0, in (0, 1]; the warmup ends at the base lr.")));
		arguments.addAll(ReduceLROnPlateau.ARGUMENTS);
		return arguments;
	}

	static WarmupPlateau read(ArgumentReader arguments) {
		long warmupSteps = arguments.integer("warmup_steps", true);
		String warmupType = arguments.string("warmup_type");
		double startFactor = arguments.real("warmup_start_factor");
		if (warmupSteps < 1 || warmupSteps > Schedule.MAX_EPOCH) {
			throw arguments.invalid("warmup_steps", "must be from 1 to " + Schedule.MAX_EPOCH + ", got " + warmupSteps
					+ "; without a warmup, use ReduceLROnPlateau");
		}
		if (!warmupType.equals("linear") && !warmupType.equals("exponential")) {
			throw arguments.invalid("warmup_type", "warmup type " + warmupType + " is unknown!");
		}
		if (!(startFactor > 0 && startFactor <= 1.0)) {
			throw arguments.invalid("warmup_start_factor",
					"must be greater than 0 and less or equal to 1, got " + startFactor);
		}
		ReduceLROnPlateau plateau = ReduceLROnPlateau.read(arguments);
		return new WarmupPlateau(warmup(warmupType, startFactor, warmupSteps), plateau, warmupSteps,
				arguments.normalized());
	}

	private static Chainable warmup(String type, double startFactor, long steps) {
		if (type.equals("linear")) {
			Map<String, @Nullable Object> linear = new LinkedHashMap<>();
			linear.put("type", "LinearLR");
			linear.put("start_factor", startFactor);
			linear.put("end_factor", 1.0);
			linear.put("total_iters", steps);
			return new LinearLR(startFactor, 1.0, steps, linear);
		}
		// f ** (1 - e / W) with f in (0, 1] and e in [0, W] never raises
		EpochFunction factor = EpochFunction.total((epoch) -> Py.pow(startFactor, 1.0 - (double) epoch / steps));
		return new LambdaLR("LambdaLR", List.of(factor), Map.of("type", "LambdaLR"));
	}

	@Override
	public String type() {
		return NAME;
	}

	@Override
	public boolean requiresMetric() {
		return true;
	}

	@Override
	public long stepsWithoutMetric() {
		return this.warmupSteps;
	}

	@Override
	public boolean needsMetric(NodeState state) {
		return ((WarmupThenPlateau) state).lastEpoch() >= this.warmupSteps;
	}

	@Override
	public long nodes() {
		return NODES;
	}

	@Override
	public NodeState construct(Optimizer optimizer) {
		return new WarmupThenPlateau(0, (Progress) this.warmup.construct(optimizer), null);
	}

	/**
	 * A warmup step up to epoch {@code W} (then the plateau is constructed), else the
	 * plateau's {@code step(metric)}.
	 */
	@Override
	public NodeState step(NodeState state, Optimizer optimizer, double metric) {
		WarmupThenPlateau current = (WarmupThenPlateau) state;
		long epoch = current.lastEpoch() + 1;
		if (epoch <= this.warmupSteps) {
			return warmedUp(epoch, this.warmup.step(current.warmup(), optimizer, metric), optimizer);
		}
		Plateau plateau = (Plateau) this.plateau.step(current.plateau(), optimizer, metric);
		return new WarmupThenPlateau(epoch, current.warmup(), plateau);
	}

	private WarmupThenPlateau warmedUp(long epoch, NodeState warmup, Optimizer optimizer) {
		Plateau plateau = (epoch == this.warmupSteps) ? (Plateau) this.plateau.construct(optimizer) : null;
		return new WarmupThenPlateau(epoch, (Progress) warmup, plateau);
	}

	/**
	 * The warmup's own fast-forward (a jump); never past the warmup, which needs metrics.
	 */
	@Override
	public NodeState fastForward(NodeState state, Optimizer optimizer, long steps) {
		WarmupThenPlateau current = (WarmupThenPlateau) state;
		long to = current.lastEpoch() + steps;
		if (steps == 0) {
			return current;
		}
		if (to > this.warmupSteps) {
			throw new IllegalStateException(NAME + " cannot be fast-forwarded past its warmup");
		}
		return warmedUp(to, this.warmup.fastForward(current.warmup(), optimizer, steps), optimizer);
	}

	@Override
	public long fastForwardCost(NodeState state, long steps) {
		return this.warmup.fastForwardCost(((WarmupThenPlateau) state).warmup(), steps);
	}

	/** Its arguments and what ReduceLROnPlateau derives from them. */
	@Override
	public Map<String, @Nullable Object> hyperparameters() {
		return this.plateau.hyperparameters();
	}

	/**
	 * The hyperparameters, {@code last_epoch}, {@code _warmup} (the warmup scheduler's
	 * {@code base_lrs}, {@code last_epoch}, {@code _step_count}, {@code _last_lr}) and,
	 * from epoch {@code W} on, {@code _plateau} (ReduceLROnPlateau's {@code last_epoch},
	 * {@code best}, {@code num_bad_epochs}, {@code cooldown_counter}, {@code _last_lr}).
	 */
	@Override
	public Map<String, Object> stateDict(NodeState state) {
		Map<String, Object> dict = new LinkedHashMap<>();
		StateWriter.putHyperparameters(dict, hyperparameters());
		WarmupThenPlateau phases = (WarmupThenPlateau) state;
		dict.put("last_epoch", phases.lastEpoch());
		dict.put("_warmup", Chainable.progressDict(phases.warmup(), Map.of()));
		Plateau plateau = phases.plateau();
		if (plateau != null) {
			dict.put("_plateau", ReduceLROnPlateau.counters(plateau));
		}
		return dict;
	}

	/**
	 * Reads what {@link #stateDict} wrote; strictly, the phases' epochs must be those
	 * stepping gives.
	 */
	@Override
	public NodeState readState(StateReader reader) {
		long epoch = reader.counter("last_epoch", 0);
		Progress warmup = reader.nested("_warmup").progress();
		boolean warm = epoch >= this.warmupSteps;
		if (reader.strict() && warmup.lastEpoch() != Math.min(epoch, this.warmupSteps)) {
			throw reader.invalid("_warmup.last_epoch", "must be " + Math.min(epoch, this.warmupSteps)
					+ " (the warmup's epochs at last_epoch " + epoch + "), got " + warmup.lastEpoch());
		}
		if (!warm) {
			if (reader.strict() && reader.has("_plateau")) {
				throw reader.invalid("_plateau", "must be absent before the end of the warmup (epoch "
						+ this.warmupSteps + "): the plateau is constructed then");
			}
			return new WarmupThenPlateau(epoch, warmup, null);
		}
		Plateau plateau = ReduceLROnPlateau.readCounters(reader.nested("_plateau"));
		if (reader.strict() && plateau.lastEpoch() != epoch - this.warmupSteps) {
			throw reader.invalid("_plateau.last_epoch", "must be " + (epoch - this.warmupSteps)
					+ " (the steps since the end of the warmup), got " + plateau.lastEpoch());
		}
		return new WarmupThenPlateau(epoch, warmup, plateau);
	}

}
