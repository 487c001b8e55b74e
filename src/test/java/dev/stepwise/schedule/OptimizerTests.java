package dev.stepwise.schedule;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The working copy of the groups: what it shares and what it copies. */
class OptimizerTests {

	private static Optimizer optimizer(double... lrs) {
		double[] momentum = Optimizer.absent(lrs.length);
		return new Optimizer(new GroupArrays(lrs, momentum, Optimizer.absent(lrs.length), Optimizer.absent(lrs.length),
				Optimizer.absent(lrs.length), Optimizer.absent(lrs.length), Optimizer.absent(lrs.length)));
	}

	@Test
	void theCurrentLrIsTheArrayLastWrittenWhileTheLrIsStillThat() {
		Optimizer optimizer = optimizer(0.1, 0.2);
		double[] written = optimizer.writeLr(new double[] { 0.05, 0.1 });
		assertThat(optimizer.currentLr()).isSameAs(written);
		assertThat(optimizer.writeLr(optimizer.currentLr())).isSameAs(written);
		assertThat(optimizer.lr).containsExactly(0.05, 0.1);
	}

	@Test
	void anLrWrittenInPlaceGivesAFreshCopy() {
		Optimizer optimizer = optimizer(0.1, 0.2);
		double[] written = optimizer.writeLr(new double[] { 0.05, 0.1 });
		optimizer.lr[1] = 0.01;
		double[] current = optimizer.currentLr();
		assertThat(current).isNotSameAs(written).containsExactly(0.05, 0.01);
		assertThat(written).containsExactly(0.05, 0.1);
		assertThat(optimizer.currentLr()).isSameAs(current);
	}

	@Test
	void aCopyToWriteIsNeverTheSharedArray() {
		Optimizer optimizer = optimizer(0.1);
		double[] shared = optimizer.currentLr();
		double[] copy = optimizer.lrs();
		copy[0] = 1.0;
		assertThat(shared).containsExactly(0.1);
		assertThat(optimizer.lr).containsExactly(0.1);
	}

}
