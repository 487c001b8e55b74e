package dev.stepwise.schedule;

import java.util.Arrays;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Progress;

import static dev.stepwise.schedule.KeywordArgument.required;

/**
 * {@code MultiStepLR(optimizer, milestones, gamma=0.1)}: chainable
 * {@code lr · γ^count(last_epoch)} where {@code count} is how often the epoch appears
 * among the milestones (a Counter: repeated milestones decay several times at once), else
 * unchanged; closed form
 * {@code base_lr · γ^bisect_right(sorted(milestones), last_epoch)}. Milestones need not
 * be sorted; a milestone 0 decays at construction. Both forms evaluate {@code γ ** n} as
 * Python does ({@link Py#pow}): a power that overflows raises {@code OverflowError},
 * refused at that step (or at registration when it is the initial step), while the
 * product with the lr may overflow to infinity.
 *
 * @param milestones the milestones as given
 * @param gamma multiplicative factor
 * @param arguments the normalised arguments
 * @see <a href=
 * "https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.MultiStepLR.html">torch.optim.lr_scheduler.MultiStepLR</a>
 */
record MultiStepLR(long[] milestones, double gamma, Map<String, @Nullable Object> arguments) implements Chainable {

	static final SchedulerType TYPE = SchedulerType.torch("MultiStepLR", "Decays the lr by gamma at each milestone.",
			"`· gamma` at each milestone (repeats count)", required("milestones", ArgumentKind.INTEGER_LIST,
					"Epochs at which the lr decays; a repeated milestone decays once per repetition."),
			StepLR.GAMMA);

	static MultiStepLR read(ArgumentReader arguments) {
		long[] milestones = arguments.integers("milestones");
		double gamma = arguments.real("gamma");
		long[] sorted = milestones.clone();
		Arrays.sort(sorted);
		return new MultiStepLR(sorted, gamma, arguments.normalized());
	}

	@Override
	public String type() {
		return "MultiStepLR";
	}

	@Override
	public double[] lr(Progress progress, Optimizer optimizer, boolean initial) {
		long epoch = progress.lastEpoch();
		int count = Py.bisectRight(this.milestones, epoch) - Py.bisectRight(this.milestones, epoch - 1);
		if (count == 0) {
			return Chainable.unchanged(optimizer);
		}
		return Chainable.scaled(optimizer, Py.pow(this.gamma, count));
	}

	/**
	 * Exact: the milestones on the way, each decaying by {@code γ ** count} as its step
	 * does.
	 */
	@Override
	public long jumpCost(Progress progress, long steps) {
		if (progress.lastEpoch() < 0) {
			return -1;
		}
		long to = progress.lastEpoch() + steps;
		return 1 + Py.bisectRight(this.milestones, to) - Py.bisectRight(this.milestones, progress.lastEpoch());
	}

	@Override
	public Progress jump(Progress progress, Optimizer optimizer, long steps) {
		long to = progress.lastEpoch() + steps;
		int end = Py.bisectRight(this.milestones, to);
		int i = Py.bisectRight(this.milestones, progress.lastEpoch());
		double[] values = optimizer.lrs();
		while (i < end) {
			int next = Py.bisectRight(this.milestones, this.milestones[i]);
			double factor = Py.pow(this.gamma, next - i);
			for (int g = 0; g < values.length; g++) {
				values[g] = values[g] * factor;
			}
			i = next;
		}
		return Chainable.jumped(progress, steps, values, optimizer);
	}

	@Override
	public double[] closedFormLr(Progress progress) {
		return Chainable.times(progress.baseLrs(),
				Py.pow(this.gamma, Py.bisectRight(this.milestones, progress.lastEpoch())));
	}

}
