package dev.stepwise.schedule;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.stepwise.schedule.ParityTraces.Trace;

/**
 * Every state of every golden trace of stepwise.WarmupPlateau and stepwise.PerGroup, as
 * the real torch 2.13 computed them from its own schedulers
 * ({@code src/test/python/stepwise_traces.py}): registration, each step, round-trips of
 * the state document, and the cases refused.
 */
class StepwiseTypesParityTest {

	static Stream<Trace> stepwiseCases() {
		return ParityTraces.load("stepwise-cases.json", "stepwise-expected.json").stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("stepwiseCases")
	void stepwiseCaseMatchesTorch(Trace trace) {
		ParityTest.verify(trace);
	}

}
