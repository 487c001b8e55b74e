package dev.stepwise.schedule;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.RangeTest;

import static dev.stepwise.schedule.KeywordArgument.choice;
import static dev.stepwise.schedule.KeywordArgument.optional;

/**
 * {@code stepwise.LRRangeTest}: Lightning's learning rate finder ({@code Tuner.lr_find},
 * lightning/pytorch/tuner/lr_finder.py at commit 7f0c3436cd3f, transcribed) as a
 * schedule. Lightning's {@code min_lr}, {@code max_lr} and {@code num_training} are
 * called {@code start_lr}, {@code end_lr} and {@code num_steps} here.
 * <p>
 * At construction every group's lr (and {@code initial_lr}) is {@code start_lr}, as
 * {@code _LRFinder._exchange_scheduler} sets them. After the step to epoch {@code e} the
 * lr is {@code _ExponentialLR}'s or {@code _LinearLR}'s {@code get_lr()}: for
 * {@code e > 0}, with {@code r = (e + 1) / num_steps},
 * {@code start_lr · (end_lr / start_lr) ** r} (exponential) or
 * {@code start_lr + r · (end_lr - start_lr)} (linear); {@code start_lr} at {@code e = 0}.
 * So the first batch trains at {@code start_lr}, the second at {@code r = 2/num_steps}
 * and the last ({@code e = num_steps - 1}) at {@code end_lr}.
 * <p>
 * Every step takes the batch's loss as its metric and smooths it as {@code _LRCallback}
 * does ({@link LossSmoothing}, the step's epoch as the {@code global_step}); the best
 * smoothed loss is the first one, then any lower one. The test finishes at the step whose
 * smoothed loss exceeds {@code early_stop_threshold · best} (from the second step on;
 * never with {@code early_stop_threshold = null}) or at step {@code num_steps}, the two
 * ways Lightning's loop ends. Finishing, the lr returns to {@code start_lr} (Lightning
 * restores the optimizer from its checkpoint), and every later step is refused (409): the
 * curve is complete, read {@code GET .../lr-finder}.
 *
 * @param startLr Lightning's {@code min_lr}
 * @param endLr Lightning's {@code max_lr}
 * @param numSteps Lightning's {@code num_training}
 * @param exponential {@code mode == 'exponential'}
 * @param earlyStopThreshold the divergence factor, or {@code null} for never
 * @param beta the smoothing of {@code _LRCallback}
 * @param arguments the normalised arguments
 */
record LightningRangeTest(double startLr, double endLr, long numSteps, boolean exponential,
		@Nullable Double earlyStopThreshold, double beta,
		Map<String, @Nullable Object> arguments) implements LrScheduler {

	static final String NAME = "stepwise.LRRangeTest";

	static final SchedulerType TYPE = new SchedulerType(NAME,
			"Stepwise's LR range test, transcribing Lightning's Tuner.lr_find (lightning/pytorch/tuner/lr_finder.py at"
					+ " 7f0c3436cd3f): ramps every group's lr from start_lr (Lightning's min_lr) to end_lr (max_lr)"
					+ " over num_steps steps (num_training); every step needs the batch's loss as metric. It finishes"
					+ " when the smoothed loss exceeds early_stop_threshold x the best one, or after num_steps steps;"
					+ " the lr then returns to start_lr and later steps are refused (409). GET .../lr-finder gives the"
					+ " curve and the suggested lr.",
			"ramp from `start_lr` to `end_lr`, stopping when the smoothed loss diverges; every step needs the loss as"
					+ " `metric`; read `GET .../lr-finder`",
			List.of(optional("start_lr", ArgumentKind.NUMBER, 1e-8,
					"The lr of the first batch (Lightning's min_lr); every group starts there. > 0 for exponential."),
					optional("end_lr", ArgumentKind.NUMBER, 1.0, "The lr of the last batch (Lightning's max_lr)."),
					optional("num_steps", ArgumentKind.INTEGER, 100L,
							"Batches the test takes, at most (Lightning's num_training)."),
					choice("mode", "exponential", "How the lr grows from batch to batch.", "exponential", "linear"),
					optional("early_stop_threshold", ArgumentKind.NUMBER, 4.0,
							"Finish when the smoothed loss exceeds this times the best smoothed loss; null: never."),
					optional("beta", ArgumentKind.NUMBER, LossSmoothing.DEFAULT_BETA,
							"The smoothing of the loss, 0 <= beta < 1 (Lightning's _LRCallback beta).")))
		.lasting(ScheduleLength.argument("num_steps"));

	static LightningRangeTest read(ArgumentReader arguments) {
		double startLr = arguments.real("start_lr");
		double endLr = arguments.real("end_lr");
		long numSteps = arguments.integer("num_steps", true);
		String mode = arguments.string("mode");
		Double threshold = arguments.realOrNone("early_stop_threshold");
		double beta = arguments.real("beta");
		if (!mode.equals("exponential") && !mode.equals("linear")) {
			throw arguments.invalid("mode", "mode should be either `linear` or `exponential`");
		}
		if (numSteps < 1) {
			throw arguments.invalid("num_steps", "must be at least 1, got " + numSteps
					+ ": Lightning divides by num_training (0 raises ZeroDivisionError)");
		}
		if (startLr < 0 || (mode.equals("exponential") && startLr == 0)) {
			throw arguments.invalid("start_lr",
					mode.equals("exponential")
							? "must be > 0 for the exponential mode (Lightning divides end_lr by it), got " + startLr
							: "must be >= 0, got " + startLr);
		}
		if (endLr < 0) {
			throw arguments.invalid("end_lr", "must be >= 0, got " + endLr);
		}
		if (!LossSmoothing.validBeta(beta)) {
			throw arguments.invalid("beta", "must be >= 0 and < 1 (the debiasing divides by 1 - beta^k), got " + beta);
		}
		return new LightningRangeTest(startLr, endLr, numSteps, mode.equals("exponential"), threshold, beta,
				arguments.normalized());
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
	public NodeState construct(Optimizer optimizer) {
		// _exchange_scheduler: param_group["lr"] = param_group["initial_lr"] = min_lr
		optimizer.editKeys();
		double[] lrs = new double[optimizer.size()];
		Arrays.fill(lrs, this.startLr);
		Arrays.fill(optimizer.initialLr, this.startLr);
		return new RangeTest(0, 0.0, 0.0, Double.NaN, 0, optimizer.writeLr(lrs));
	}

	/**
	 * {@code get_lr()} of {@code _ExponentialLR} / {@code _LinearLR} at {@code epoch}.
	 */
	double lrAt(long epoch) {
		if (epoch <= 0) {
			return this.startLr;
		}
		double r = (double) (epoch + 1) / this.numSteps;
		return this.exponential ? this.startLr * Py.pow(this.endLr / this.startLr, r)
				: this.startLr + r * (this.endLr - this.startLr);
	}

	@Override
	public NodeState step(NodeState state, Optimizer optimizer, double metric) {
		RangeTest current = (RangeTest) state;
		if (current.finishedAt() > 0) {
			throw new StepException(StepException.Reason.REFUSED, "the range test finished at epoch "
					+ current.finishedAt() + ": its curve is complete; read GET .../lr-finder for the suggested lr");
		}
		long step = current.lastEpoch() + 1;
		// _LRCallback.on_train_batch_end, current_step being the global step after the
		// batch
		double avg = LossSmoothing.average(current.avgLoss(), this.beta, metric);
		double smoothed = LossSmoothing.debiased(avg, this.beta, step);
		boolean diverged = this.earlyStopThreshold != null && step > 1
				&& smoothed > this.earlyStopThreshold * current.bestLoss();
		double best = (smoothed < current.bestLoss() || step == 1) ? smoothed : current.bestLoss();
		boolean finished = diverged || step >= this.numSteps;
		double[] lrs = new double[optimizer.size()];
		Arrays.fill(lrs, finished ? this.startLr : lrAt(step));
		return new RangeTest(step, avg, best, smoothed, finished ? step : 0, optimizer.writeLr(lrs));
	}

	@Override
	public boolean finishes() {
		return true;
	}

	@Override
	public boolean finished(NodeState state) {
		return ((RangeTest) state).finishedAt() > 0;
	}

	@Override
	public NodeState initialStep(NodeState state, Optimizer optimizer) {
		throw new IllegalStateException(NAME + " cannot be nested");
	}

	@Override
	public NodeState undo(NodeState state) {
		throw new IllegalStateException(NAME + " cannot be nested");
	}

	@Override
	public NodeState restart(NodeState state, Optimizer optimizer) {
		throw new IllegalStateException(NAME + " cannot be nested");
	}

	@Override
	public Map<String, Object> stateDict(NodeState state) {
		RangeTest current = (RangeTest) state;
		Map<String, Object> dict = new LinkedHashMap<>();
		StateWriter.putHyperparameters(dict, hyperparameters());
		dict.put("last_epoch", current.lastEpoch());
		dict.put("avg_loss", current.avgLoss());
		dict.put("best_loss", current.bestLoss());
		dict.put("smoothed_loss", current.smoothedLoss());
		dict.put("finished_at", current.finishedAt());
		dict.put("_last_lr", StateWriter.list(current.lastLr()));
		return dict;
	}

	@Override
	public NodeState readState(StateReader reader) {
		long lastEpoch = reader.counter("last_epoch", 0);
		long finishedAt = reader.counter("finished_at", 0);
		if (finishedAt < 0 || finishedAt > lastEpoch) {
			throw reader.invalid("finished_at", "must be 0 (running) or an epoch up to last_epoch, got " + finishedAt);
		}
		// a NaN loss makes the averages NaN, as in Lightning
		return new RangeTest(lastEpoch, reader.real("avg_loss"), reader.real("best_loss"), reader.real("smoothed_loss"),
				finishedAt, reader.finiteReals("_last_lr"));
	}

}
