package dev.stepwise.schedule;

/**
 * The optimizer's param groups, frozen, one array per key (NaN where a group lacks the
 * key). Arrays are never written once frozen; {@link Optimizer} copies what it changes.
 */
record GroupArrays(double[] lr, double[] momentum, double[] initialLr, double[] maxLr, double[] minLr,
		double[] maxMomentum, double[] baseMomentum) {

	/**
	 * Groups as registered: lr and momentum (0 where none, as SGD's default), no
	 * scheduler keys yet.
	 */
	static GroupArrays registered(double[] lr, double[] momentum) {
		int n = lr.length;
		return new GroupArrays(lr, momentum, Optimizer.absent(n), Optimizer.absent(n), Optimizer.absent(n),
				Optimizer.absent(n), Optimizer.absent(n));
	}

	int size() {
		return this.lr.length;
	}

}
