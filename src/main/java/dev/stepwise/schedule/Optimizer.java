package dev.stepwise.schedule;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * The optimizer's param groups while one transition runs: schedulers read and write them
 * as PyTorch's schedulers read and write {@code optimizer.param_groups}. A working copy,
 * never shared: {@link ScheduleState} holds the frozen arrays.
 * <p>
 * Besides {@code lr} and {@code momentum} a group may carry the keys schedulers put there
 * ({@code initial_lr}, OneCycleLR's {@code max_lr}/{@code min_lr}, the cyclers'
 * {@code max_momentum}/{@code base_momentum}); NaN marks a key the group does not have.
 */
final class Optimizer {

	static final double ABSENT = Double.NaN;

	final double[] lr;

	final double[] momentum;

	double[] initialLr;

	double[] maxLr;

	double[] minLr;

	double[] maxMomentum;

	double[] baseMomentum;

	private boolean extrasCopied;

	/**
	 * The array last written as the lr, shared with the state that holds it as
	 * {@code _last_lr}.
	 */
	private double @Nullable [] written;

	/**
	 * A working copy of frozen groups; the extra keys are copied only when a scheduler
	 * writes them.
	 */
	Optimizer(GroupArrays groups) {
		this.lr = groups.lr().clone();
		this.momentum = groups.momentum().clone();
		this.initialLr = groups.initialLr();
		this.maxLr = groups.maxLr();
		this.minLr = groups.minLr();
		this.maxMomentum = groups.maxMomentum();
		this.baseMomentum = groups.baseMomentum();
	}

	int size() {
		return this.lr.length;
	}

	/** Makes the extra keys writable (construction only: steps never write them). */
	void editKeys() {
		if (!this.extrasCopied) {
			this.initialLr = this.initialLr.clone();
			this.maxLr = this.maxLr.clone();
			this.minLr = this.minLr.clone();
			this.maxMomentum = this.maxMomentum.clone();
			this.baseMomentum = this.baseMomentum.clone();
			this.extrasCopied = true;
		}
	}

	/** {@code group.setdefault("initial_lr", group["lr"])} for every group. */
	void setDefaultInitialLr() {
		editKeys();
		for (int i = 0; i < this.lr.length; i++) {
			if (Double.isNaN(this.initialLr[i])) {
				this.initialLr[i] = this.lr[i];
			}
		}
	}

	/**
	 * Writes {@code values} into the groups' lr and returns them as {@code _last_lr}; the
	 * caller gives up {@code values}, which no one may write from then on.
	 */
	double[] writeLr(double[] values) {
		if (values != this.written) {
			System.arraycopy(values, 0, this.lr, 0, values.length);
			this.written = values;
		}
		return values;
	}

	/**
	 * {@code [group["lr"] for group in param_groups]} as an array no one may write: the
	 * one last written while the lr is still that, else a copy. A rule that leaves the lr
	 * as it is then allocates nothing (a fast-forward of a ChainedScheduler of 63
	 * ConstantLR on 256 groups allocated 130 MB in such copies).
	 */
	double[] currentLr() {
		if (this.written == null || !Arrays.equals(this.written, this.lr)) {
			this.written = this.lr.clone();
		}
		return this.written;
	}

	/** {@code [group["lr"] for group in param_groups]}. */
	double[] lrs() {
		return this.lr.clone();
	}

	/** The groups as they stand, frozen. */
	GroupArrays freeze() {
		return new GroupArrays(this.lr, this.momentum, this.initialLr, this.maxLr, this.minLr, this.maxMomentum,
				this.baseMomentum);
	}

	static double[] absent(int size) {
		double[] values = new double[size];
		Arrays.fill(values, ABSENT);
		return values;
	}

}
