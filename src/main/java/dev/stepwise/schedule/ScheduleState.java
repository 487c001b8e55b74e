package dev.stepwise.schedule;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Where a schedule stands: {@code last_epoch}, the optimizer's param groups and every
 * scheduler's own counters. Immutable; produced and consumed by {@link Schedule}.
 */
public final class ScheduleState {

	private final long lastEpoch;

	private final GroupArrays groups;

	private final NodeState root;

	private final boolean[] reportMomentum;

	private final long consumed;

	/** An amendment's continuity factor per group ({@code null}: none), see below. */
	private final double @Nullable [] lrScale;

	ScheduleState(long lastEpoch, GroupArrays groups, NodeState root, boolean[] reportMomentum) {
		this(lastEpoch, groups, root, reportMomentum, 0, null);
	}

	ScheduleState(long lastEpoch, GroupArrays groups, NodeState root, boolean[] reportMomentum, long consumed) {
		this(lastEpoch, groups, root, reportMomentum, consumed, null);
	}

	/**
	 * A state whose reported lrs are the schedule's times {@code lrScale} (an extended
	 * schedule made continuous at its amendment); the schedulers step the unscaled ones.
	 */
	ScheduleState(long lastEpoch, GroupArrays groups, NodeState root, boolean[] reportMomentum, long consumed,
			double @Nullable [] lrScale) {
		this.lastEpoch = lastEpoch;
		this.groups = groups;
		this.root = root;
		this.reportMomentum = reportMomentum;
		this.consumed = consumed;
		this.lrScale = lrScale;
	}

	/**
	 * The number of {@code step()} calls since registration, as PyTorch's
	 * {@code last_epoch}.
	 */
	public long lastEpoch() {
		return this.lastEpoch;
	}

	/**
	 * The tokens or samples the steps consumed so far, the position a schedule in that
	 * {@link ScheduleUnit unit} evaluates its lr at; 0 for a schedule in steps.
	 */
	public long consumed() {
		return this.consumed;
	}

	/** The param groups as the trainer must apply them. */
	public List<ParamGroup> paramGroups() {
		double[] lr = this.groups.lr();
		double[] momentum = this.groups.momentum();
		List<ParamGroup> result = new ArrayList<>(lr.length);
		for (int i = 0; i < lr.length; i++) {
			result.add(new ParamGroup(lr(i), this.reportMomentum[i] ? momentum[i] : null));
		}
		return result;
	}

	/** The number of param groups. */
	public int groupCount() {
		return this.groups.lr().length;
	}

	/** Whether a group reports a momentum (its optimizer has one). */
	public boolean hasMomentum(int group) {
		return this.reportMomentum[group];
	}

	/**
	 * The momentum of a group that {@link #hasMomentum has one}, without building the
	 * list.
	 */
	public double momentum(int group) {
		return this.groups.momentum()[group];
	}

	/** The lr of one group, without building the list. */
	public double lr(int group) {
		return (this.lrScale != null) ? this.groups.lr()[group] * this.lrScale[group] : this.groups.lr()[group];
	}

	double @Nullable [] lrScale() {
		return this.lrScale;
	}

	GroupArrays groups() {
		return this.groups;
	}

	NodeState root() {
		return this.root;
	}

	boolean[] reportFlags() {
		return this.reportMomentum;
	}

	boolean reportsMomentum(int group) {
		return this.reportMomentum[group];
	}

	@Override
	public String toString() {
		return "ScheduleState[last_epoch=" + this.lastEpoch + ", param_groups=" + paramGroups() + "]";
	}

}
