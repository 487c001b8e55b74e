package dev.stepwise.schedule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Plateau;

import static dev.stepwise.schedule.KeywordArgument.choice;
import static dev.stepwise.schedule.KeywordArgument.optional;

/**
 * {@code ReduceLROnPlateau(optimizer, mode='min', factor=0.1, patience=10, threshold=1e-4,
 * threshold_mode='rel', cooldown=0, min_lr=0, eps=1e-8)}: each {@code step(metric)}
 * compares the metric with the best so far ({@code min/rel: m < best·(1 - threshold)},
 * {@code min/abs:
 * m < best - threshold}, {@code max/rel: m > best·(1 + threshold)}, {@code max/abs:
 * m > best + threshold}; NaN is never better), counts bad epochs (zeroed during
 * cooldown), and after more than {@code patience} of them sets each group's lr to
 * {@code max(lr·factor, min_lr)} where that lowers it by more than {@code eps}, then
 * starts the cooldown. The lr is untouched at construction.
 *
 * @param type {@code ReduceLROnPlateau} or Hugging Face's {@code reduce_lr_on_plateau}
 * @param maximize {@code mode == 'max'}
 * @param factor the reduction factor, {@code < 1}
 * @param patience bad epochs tolerated
 * @param threshold the significance threshold
 * @param relative {@code threshold_mode == 'rel'}
 * @param cooldown epochs to wait after a reduction
 * @param minLrs lower bound per group
 * @param eps minimal change applied
 * @param arguments the normalised arguments
 * @see <a href=
 * "https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.ReduceLROnPlateau.html">torch.optim.lr_scheduler.ReduceLROnPlateau</a>
 */
record ReduceLROnPlateau(String type, boolean maximize, double factor, long patience, double threshold,
		boolean relative, long cooldown, double[] minLrs, double eps,
		Map<String, @Nullable Object> arguments) implements LrScheduler {

	/**
	 * The arguments of ReduceLROnPlateau, also Hugging Face's
	 * {@code reduce_lr_on_plateau}.
	 */
	static final List<KeywordArgument> ARGUMENTS = List.of(
			choice("mode", "min", "Whether the metric should decrease (min) or increase (max).", "min", "max"),
			optional("factor", ArgumentKind.NUMBER, 0.1, "Factor the lr is multiplied by on a plateau; < 1."),
			optional("patience", ArgumentKind.INTEGER, 10L,
					"Steps without improvement tolerated before reducing the lr."),
			optional("threshold", ArgumentKind.NUMBER, 1e-4, "Minimal change that counts as an improvement."),
			choice("threshold_mode", "rel", "Whether threshold is relative to the best value (rel) or absolute (abs).",
					"rel", "abs"),
			optional("cooldown", ArgumentKind.INTEGER, 0L,
					"Steps to wait after a reduction before counting bad steps again."),
			optional("min_lr", ArgumentKind.NUMBER_OR_LIST, 0.0, "Lower bound of the lr." + KeywordArgument.PER_GROUP),
			optional("eps", ArgumentKind.NUMBER, 1e-8, "A reduction smaller than eps is ignored."));

	static final SchedulerType TYPE = SchedulerType.torch("ReduceLROnPlateau",
			"Reduces the lr when the metric stops improving; every step needs a metric.",
			"`· factor` after `patience` bad epochs; every step needs `metric`",
			ARGUMENTS.toArray(KeywordArgument[]::new));

	static ReduceLROnPlateau read(ArgumentReader arguments) {
		String mode = arguments.string("mode");
		double factor = arguments.real("factor");
		long patience = arguments.integer("patience", false);
		double threshold = arguments.real("threshold");
		String thresholdMode = arguments.string("threshold_mode");
		long cooldown = arguments.integer("cooldown", false);
		double[] minLrs = arguments.reals("min_lr");
		double eps = arguments.real("eps");
		if (factor >= 1.0) {
			throw arguments.invalid("factor", "Factor should be < 1.0.");
		}
		if (!mode.equals("min") && !mode.equals("max")) {
			throw arguments.invalid("mode", "mode " + mode + " is unknown!");
		}
		if (!thresholdMode.equals("rel") && !thresholdMode.equals("abs")) {
			throw arguments.invalid("threshold_mode", "threshold mode " + thresholdMode + " is unknown!");
		}
		return new ReduceLROnPlateau(arguments.declaredType().name(), mode.equals("max"), factor, patience, threshold,
				thresholdMode.equals("rel"), cooldown, minLrs, eps, arguments.normalized());
	}

	@Override
	public boolean requiresMetric() {
		return true;
	}

	@Override
	public NodeState construct(Optimizer optimizer) {
		return new Plateau(0, worse(), 0, 0, optimizer.lrs());
	}

	private double worse() {
		return this.maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
	}

	@Override
	public NodeState step(NodeState state, Optimizer optimizer, double metric) {
		Plateau current = (Plateau) state;
		double best = current.best();
		long bad = current.numBadEpochs();
		long cooldownCounter = current.cooldownCounter();
		if (isBetter(metric, best)) {
			best = metric;
			bad = 0;
		}
		else {
			bad++;
		}
		if (cooldownCounter > 0) {
			cooldownCounter--;
			bad = 0;
		}
		if (bad > this.patience) {
			reduce(optimizer);
			cooldownCounter = this.cooldown;
			bad = 0;
		}
		return new Plateau(current.lastEpoch() + 1, best, bad, cooldownCounter, optimizer.lrs());
	}

	private boolean isBetter(double metric, double best) {
		if (this.relative) {
			return this.maximize ? metric > best * (this.threshold + 1.0) : metric < best * (1.0 - this.threshold);
		}
		return this.maximize ? metric > best + this.threshold : metric < best - this.threshold;
	}

	private void reduce(Optimizer optimizer) {
		for (int i = 0; i < optimizer.size(); i++) {
			double old = optimizer.lr[i];
			double reduced = Py.max(old * this.factor, this.minLrs[i]);
			if (old - reduced > this.eps) {
				optimizer.lr[i] = reduced;
			}
		}
	}

	@Override
	public NodeState initialStep(NodeState state, Optimizer optimizer) {
		throw new IllegalStateException("ReduceLROnPlateau cannot be nested");
	}

	@Override
	public NodeState undo(NodeState state) {
		throw new IllegalStateException("ReduceLROnPlateau cannot be nested");
	}

	@Override
	public NodeState restart(NodeState state, Optimizer optimizer) {
		throw new IllegalStateException("ReduceLROnPlateau cannot be nested");
	}

	/** The arguments, and what the constructor derives from them. */
	@Override
	public Map<String, @Nullable Object> hyperparameters() {
		Map<String, @Nullable Object> result = StateWriter.hyperparameters(arguments());
		result.put("min_lrs", StateWriter.list(this.minLrs));
		result.put("mode_worse", worse());
		return result;
	}

	@Override
	public Map<String, Object> stateDict(NodeState state) {
		Map<String, Object> dict = new LinkedHashMap<>();
		StateWriter.putHyperparameters(dict, hyperparameters());
		dict.putAll(counters((Plateau) state));
		return dict;
	}

	/** The keys of its {@code state_dict()} that steps change. */
	static Map<String, Object> counters(Plateau state) {
		Map<String, Object> dict = new LinkedHashMap<>();
		dict.put("last_epoch", state.lastEpoch());
		dict.put("best", state.best());
		dict.put("num_bad_epochs", state.numBadEpochs());
		dict.put("cooldown_counter", state.cooldownCounter());
		dict.put("_last_lr", StateWriter.list(state.lastLr()));
		return dict;
	}

	@Override
	public NodeState readState(StateReader reader) {
		return readCounters(reader);
	}

	/** Reads what {@link #counters} wrote. */
	static Plateau readCounters(StateReader reader) {
		long bad = reader.counter("num_bad_epochs", 0);
		long cooldownCounter = reader.counter("cooldown_counter", 0);
		if (bad < 0 || cooldownCounter < 0) {
			throw reader.invalid((bad < 0) ? "num_bad_epochs" : "cooldown_counter", "must not be negative");
		}
		double best = reader.real("best");
		// a NaN metric is never better, so no step makes best NaN
		if (reader.strict() && Double.isNaN(best)) {
			throw reader.invalid("best", "must be a number or an infinity, not NaN");
		}
		return new Plateau(reader.counter("last_epoch", -Schedule.MAX_EPOCH), best, bad, cooldownCounter,
				reader.finiteReals("_last_lr"));
	}

}
