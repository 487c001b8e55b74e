package dev.stepwise.schedule;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Progress;
import dev.stepwise.schedule.NodeState.WarmRestarts;

import static dev.stepwise.schedule.KeywordArgument.optional;
import static dev.stepwise.schedule.KeywordArgument.required;

/**
 * {@code CosineAnnealingWarmRestarts(optimizer, T_0, T_mult=1, eta_min=0.0)} (Loshchilov
 * and Hutter, "SGDR", 2017):
 * {@code lr = η_min + (base_lr - η_min)(1 + cos(π·T_cur/T_i))/2}, absolute.
 * {@code step()} advances {@code T_cur} by one and on reaching {@code T_i} wraps it
 * ({@code T_cur % T_i}) and multiplies {@code T_i} by {@code T_mult}. {@code step(epoch)}
 * sets the position by the closed form, fractional epochs included:
 * {@code n = int(log(epoch/T_0·(T_mult-1) + 1, T_mult))},
 * {@code T_cur = epoch - T_0(T_mult^n - 1)/(T_mult - 1)}, {@code T_i = T_0·T_mult^n}
 * ({@code T_cur = epoch % T_0} when {@code T_mult == 1});
 * {@code last_epoch = floor(epoch)}. The logarithm is computed as Python does
 * ({@code ln x / ln b}), artefacts included.
 *
 * @param t0 first cycle length, a positive int
 * @param tMult cycle growth factor, an int >= 1
 * @param etaMin minimum lr
 * @param arguments the normalised arguments
 * @see <a href=
 * "https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.CosineAnnealingWarmRestarts.html">torch.optim.lr_scheduler.CosineAnnealingWarmRestarts</a>
 */
record CosineAnnealingWarmRestarts(long t0, long tMult, double etaMin,
		Map<String, @Nullable Object> arguments) implements LrScheduler {

	static final SchedulerType TYPE = SchedulerType.torch("CosineAnnealingWarmRestarts",
			"Cosine annealing with warm restarts every T_i steps; also takes fractional epochs.",
			"SGDR; fractional `epoch` steps allowed",
			required("T_0", ArgumentKind.INTEGER, "Steps until the first restart; a positive integer."),
			optional("T_mult", ArgumentKind.INTEGER, 1L, "Factor T_i grows by after a restart; an integer >= 1."),
			CosineAnnealingLR.ETA_MIN);

	static CosineAnnealingWarmRestarts read(ArgumentReader arguments) {
		long t0 = positiveInteger(arguments, "T_0", 1, "Expected positive integer T_0, but got ");
		long tMult = positiveInteger(arguments, "T_mult", 1, "Expected integer T_mult >= 1, but got ");
		double etaMin = arguments.real("eta_min");
		return new CosineAnnealingWarmRestarts(t0, tMult, etaMin, arguments.normalized());
	}

	private static long positiveInteger(ArgumentReader arguments, String name, long minimum, String message) {
		if (arguments.has(name) && !arguments.isInteger(name)) {
			throw arguments.invalid(name, message + arguments.givenReal(name));
		}
		// a plain "is required", without the did-you-mean the reader would add
		if (!arguments.has(name) && arguments.required(name)) {
			throw arguments.malformed(name, "is required");
		}
		long value = arguments.integer(name, true);
		if (value < minimum) {
			throw arguments.invalid(name, message + value);
		}
		return value;
	}

	@Override
	public String type() {
		return "CosineAnnealingWarmRestarts";
	}

	@Override
	public NodeState construct(Optimizer optimizer) {
		optimizer.setDefaultInitialLr();
		Progress progress = new Progress(-1, 0, optimizer.initialLr.clone(), optimizer.lrs());
		return initialStep(new WarmRestarts(progress, -1, this.t0), optimizer);
	}

	@Override
	public NodeState initialStep(NodeState state, Optimizer optimizer) {
		WarmRestarts current = (WarmRestarts) state;
		Progress progress = current.progress();
		WarmRestarts reset = new WarmRestarts(
				new Progress(progress.lastEpoch(), 0, progress.baseLrs(), progress.lastLr()), current.tCur(),
				current.tI());
		return step(reset, optimizer, Double.NaN);
	}

	/** {@code step()}: the next epoch, or epoch 0 while {@code last_epoch < 0}. */
	@Override
	public NodeState step(NodeState state, Optimizer optimizer, double metric) {
		WarmRestarts current = (WarmRestarts) state;
		Progress progress = current.progress();
		if (progress.lastEpoch() < 0) {
			return stepTo(current, optimizer, 0);
		}
		double tCur = current.tCur() + 1;
		long tI = current.tI();
		if (tCur >= tI) {
			tCur = Py.mod(tCur, tI);
			tI = Math.multiplyExact(tI, this.tMult);
		}
		return apply(progress, progress.lastEpoch() + 1, tCur, tI, optimizer);
	}

	/**
	 * From an integral position, {@code T_cur} and {@code T_i} after any number of steps
	 * are integer arithmetic: a jump over whole cycles ({@code T_cur} exact as a double,
	 * {@code T_i}'s overflow raised where the step that restarts would raise it).
	 */
	@Override
	public NodeState fastForward(NodeState state, Optimizer optimizer, long steps) {
		WarmRestarts current = (WarmRestarts) state;
		if (!jumps(current)) {
			return LrScheduler.super.fastForward(state, optimizer, steps);
		}
		long tCur = (long) current.tCur();
		long tI = current.tI();
		long remaining = steps;
		if (this.tMult == 1) {
			tCur = Math.floorMod(tCur + remaining, tI);
			remaining = 0;
		}
		while (remaining >= tI - tCur) {
			remaining -= tI - tCur;
			tCur = 0;
			tI = Math.multiplyExact(tI, this.tMult);
		}
		Progress progress = current.progress();
		return apply(progress, progress.lastEpoch() + steps, tCur + remaining, tI, optimizer);
	}

	@Override
	public long fastForwardCost(NodeState state, long steps) {
		return jumps((WarmRestarts) state) ? 1 : LrScheduler.super.fastForwardCost(state, steps);
	}

	private static boolean jumps(WarmRestarts current) {
		double tCur = current.tCur();
		return current.progress().lastEpoch() >= 0 && tCur >= 0 && tCur < current.tI() && tCur == Math.rint(tCur)
				&& tCur < 1L << 53;
	}

	/** {@code step(epoch)}: the position set by the closed form. */
	NodeState stepTo(WarmRestarts current, Optimizer optimizer, double epoch) {
		if (epoch < 0) {
			throw Py.refused("Expected non-negative epoch, but got " + epoch);
		}
		double tCur;
		long tI = current.tI();
		if (epoch >= this.t0) {
			if (this.tMult == 1) {
				tCur = Py.mod(epoch, this.t0);
			}
			else {
				long n = (long) (Math.log(epoch / this.t0 * (this.tMult - 1) + 1) / Math.log(this.tMult));
				long power = powExact(this.tMult, n);
				tCur = epoch - (double) Math.multiplyExact(this.t0, power - 1) / (this.tMult - 1);
				tI = Math.multiplyExact(this.t0, power);
			}
		}
		else {
			tI = this.t0;
			tCur = epoch;
		}
		return apply(current.progress(), (long) Math.floor(epoch), tCur, tI, optimizer);
	}

	private static long powExact(long base, long exponent) {
		long result = 1;
		for (long i = 0; i < exponent; i++) {
			result = Math.multiplyExact(result, base);
		}
		return result;
	}

	private WarmRestarts apply(Progress progress, long lastEpoch, double tCur, long tI, Optimizer optimizer) {
		double[] values = optimizer.writeLr(lr(progress.baseLrs(), tCur, tI));
		return new WarmRestarts(new Progress(lastEpoch, progress.stepCount(), progress.baseLrs(), values), tCur, tI);
	}

	private double[] lr(double[] baseLrs, double tCur, long tI) {
		double cos = Math.cos(Math.PI * tCur / tI);
		double[] values = new double[baseLrs.length];
		for (int i = 0; i < values.length; i++) {
			values[i] = this.etaMin + (baseLrs[i] - this.etaMin) * (1 + cos) / 2;
		}
		return values;
	}

	@Override
	public NodeState undo(NodeState state) {
		WarmRestarts current = (WarmRestarts) state;
		return new WarmRestarts(current.progress().withLastEpoch(current.progress().lastEpoch() - 1), current.tCur(),
				current.tI());
	}

	/**
	 * {@code _update_lr(0)}: no closed form here, so {@code get_lr()} at the current
	 * {@code T_cur}.
	 */
	@Override
	public NodeState restart(NodeState state, Optimizer optimizer) {
		WarmRestarts current = (WarmRestarts) state;
		return apply(current.progress(), 0, current.tCur(), current.tI(), optimizer);
	}

	@Override
	public Map<String, Object> stateDict(NodeState state) {
		WarmRestarts current = (WarmRestarts) state;
		Map<String, Object> dict = Chainable.progressDict(current.progress(), hyperparameters());
		dict.put("T_i", current.tI());
		dict.put("T_cur", current.tCur());
		return dict;
	}

	@Override
	public NodeState readState(StateReader reader) {
		long tI = reader.counter("T_i", 1);
		if (tI <= 0) {
			throw reader.invalid("T_i", "must be a positive integer");
		}
		double tCur = reader.finite("T_cur");
		if (reader.strict() && !(tCur >= 0 && tCur <= Schedule.MAX_EPOCH)) {
			throw reader.invalid("T_cur", "must be a number from 0 to " + Schedule.MAX_EPOCH + ", got " + tCur);
		}
		return new WarmRestarts(reader.progress(), tCur, tI);
	}

}
