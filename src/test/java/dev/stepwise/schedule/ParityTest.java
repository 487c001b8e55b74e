package dev.stepwise.schedule;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.stepwise.schedule.InvalidScheduleException.Kind;
import dev.stepwise.schedule.ParityTraces.Trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every state of every golden trace, as PyTorch computed it: after registration, after
 * each step, and the step PyTorch refuses; and every case PyTorch rejects is rejected
 * with the right kind.
 */
class ParityTest {

	static Stream<Trace> sharedCases() {
		return ParityTraces.load("cases.json", "expected.json").stream();
	}

	static Stream<Trace> edgeCases() {
		return ParityTraces.load("edge-cases.json", "edge-expected.json").stream();
	}

	/**
	 * The divergences the fuzzer found ({@code src/test/python/fuzz.py}), minimised, kept
	 * as regression cases.
	 */
	static Stream<Trace> fuzzCases() {
		return ParityTraces.load("fuzz-cases.json", "fuzz-expected.json").stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("sharedCases")
	void sharedCaseMatchesPyTorch(Trace trace) {
		verify(trace);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("edgeCases")
	void edgeCaseMatchesPyTorch(Trace trace) {
		verify(trace);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("fuzzCases")
	void fuzzCaseMatchesPyTorch(Trace trace) {
		verify(trace);
	}

	static void verify(Trace trace) {
		assumeTrue(trace.pending() == null, () -> trace + ": pending, waits for the fix on " + trace.pending());
		if (trace.rejected()) {
			Kind kind = trace.rejectionKind();
			if (trace.torchRejectsAtRegistration() && trace.expectStatus().size() == 1) {
				// a case's expect_status may not contradict what PyTorch raised at
				// registration
				assertThat(kind)
					.as("%s: expect_status %s for PyTorch's %s", trace, trace.expectStatus(), trace.torchError())
					.isEqualTo(ParityTraces.Trace.kindOf(trace.torchError()));
			}
			assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> {
				Schedule.of(trace.scheduler(), trace.paramGroups()).start(trace.lastEpoch());
			}).satisfies((ex) -> {
				if (trace.expectStatus().equals(List.of(400))) {
					assertThat(ex.kind()).isEqualTo(Kind.MALFORMED);
				}
				if (trace.expectStatus().equals(List.of(422))) {
					assertThat(ex.kind()).isEqualTo(Kind.INVALID);
				}
				assertThat(ex.kind()).as("%s: kind of rejection for PyTorch's %s", trace, trace.torchError())
					.isEqualTo(kind);
			});
			return;
		}
		Schedule schedule = Schedule.of(trace.scheduler(), trace.paramGroups());
		List<Map<String, Object>> expected = trace.states();
		ScheduleState state = schedule.start(trace.lastEpoch());
		assertSameState(trace, state, expected.get(0));
		List<Double> metrics = trace.metrics();
		for (int i = 1; i < expected.size(); i++) {
			state = schedule.step(state, (i - 1 < metrics.size()) ? metrics.get(i - 1) : null);
			assertSameState(trace, state, expected.get(i));
			Map<String, Object> document = schedule.stateDict(state);
			ScheduleState roundTripped = schedule.fromStateDict(document);
			assertThat(schedule.stateDict(roundTripped)).isEqualTo(document);
			if (state.paramGroups().stream().allMatch((group) -> group.lr() >= 0 && Double.isFinite(group.lr()))) {
				// what stepping reaches, a client may restore
				assertThat(schedule.stateDict(schedule.restore(document))).as("%s restored", trace).isEqualTo(document);
			}
		}
		if (trace.refusesAStep()) {
			int next = expected.size() - 1;
			Double metric = (next < metrics.size()) ? metrics.get(next) : null;
			ScheduleState last = state;
			assertThatExceptionOfType(StepException.class).isThrownBy(() -> schedule.step(last, metric))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(StepException.Reason.REFUSED));
		}
	}

	@SuppressWarnings("unchecked")
	private static void assertSameState(Trace trace, ScheduleState actual, Map<String, Object> expected) {
		long epoch = ((Number) expected.get("last_epoch")).longValue();
		assertThat(actual.lastEpoch()).as("%s last_epoch", trace).isEqualTo(epoch);
		List<Map<String, Object>> groups = (List<Map<String, Object>>) expected.get("param_groups");
		List<ParamGroup> actualGroups = actual.paramGroups();
		assertThat(actualGroups).hasSameSizeAs(groups);
		for (int g = 0; g < groups.size(); g++) {
			double lr = ((Number) groups.get(g).get("lr")).doubleValue();
			assertClose(trace + " epoch " + epoch + " group " + g + " lr", actualGroups.get(g).lr(), lr);
			Number momentum = (Number) groups.get(g).get("momentum");
			if (momentum == null) {
				assertThat(actualGroups.get(g).momentum()).as("%s epoch %d group %d momentum", trace, epoch, g)
					.isNull();
			}
			else {
				Double actualMomentum = actualGroups.get(g).momentum();
				if (actualMomentum == null) {
					fail("%s epoch %d group %d: momentum missing, expected %s", trace, epoch, g, momentum);
				}
				assertClose(trace + " epoch " + epoch + " group " + g + " momentum", actualMomentum,
						momentum.doubleValue());
			}
		}
	}

	private static void assertClose(String what, double actual, double expected) {
		double tolerance = 1e-12 + 1e-9 * Math.abs(expected);
		if (!(Math.abs(actual - expected) <= tolerance)) {
			fail("%s: %s, PyTorch %s (|diff| %s > %s)", what, actual, expected, Math.abs(actual - expected), tolerance);
		}
	}

}
