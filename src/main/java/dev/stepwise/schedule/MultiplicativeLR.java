package dev.stepwise.schedule;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stepwise.schedule.NodeState.Progress;

/**
 * {@code MultiplicativeLR(optimizer, lr_lambda)}: {@code lr = lr · λ(last_epoch)}, chainable; the
 * initial step leaves the lr unchanged. No closed form, so a SequentialLR restart multiplies by
 * {@code λ(0)} (as the newest PyTorch does; 1.13 did not).
 *
 * @param lambdas one function, or one per group
 * @param arguments the normalised arguments
 * @see <a href="https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.MultiplicativeLR.html">torch.optim.lr_scheduler.MultiplicativeLR</a>
 */
record MultiplicativeLR(List<EpochFunction> lambdas, Map<String, @Nullable Object> arguments) implements Chainable {

	static MultiplicativeLR read(Arguments arguments) {
		return new MultiplicativeLR(EpochFunction.parse(arguments, "lr_lambda", "epoch"), arguments.normalized());
	}

	@Override
	public String type() {
		return "MultiplicativeLR";
	}

	@Override
	public double[] lr(Progress progress, Optimizer optimizer, boolean initial) {
		double[] values = optimizer.lrs();
		if (!initial) {
			for (int i = 0; i < values.length; i++) {
				values[i] = values[i] * this.lambdas.get((this.lambdas.size() == 1) ? 0 : i).apply(progress.lastEpoch());
			}
		}
		return values;
	}

}
