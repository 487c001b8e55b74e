package dev.stepwise.schedule;

/**
 * A scheduler that no SequentialLR or ChainedScheduler holds (Stepwise's
 * stepwise.WarmupPlateau and stepwise.PerGroup, refused there at registration), so
 * SequentialLR's rewinds and restarts never reach it.
 */
sealed interface RootOnly extends LrScheduler permits WarmupPlateau, PerGroup {

	@Override
	default NodeState initialStep(NodeState state, Optimizer optimizer) {
		throw new IllegalStateException(type() + " is never a child of a SequentialLR");
	}

	@Override
	default NodeState undo(NodeState state) {
		throw new IllegalStateException(type() + " is never a child of a SequentialLR");
	}

	@Override
	default NodeState restart(NodeState state, Optimizer optimizer) {
		throw new IllegalStateException(type() + " is never a child of a SequentialLR");
	}

}
