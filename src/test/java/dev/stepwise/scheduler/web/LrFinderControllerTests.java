package dev.stepwise.scheduler.web;

import dev.stepwise.schedule.LrFinder;
import dev.stepwise.scheduler.LrFinderResult;
import dev.stepwise.scheduler.LrFinderService;
import dev.stepwise.scheduler.SchedulerNotFoundException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static dev.stepwise.scheduler.web.ProblemAssertions.assertField;
import static dev.stepwise.scheduler.web.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;

/**
 * {@code GET .../lr-finder} over HTTP: its answer as JSON and the problems of bad
 * parameters and unknown schedulers.
 */
@ApiSliceTest
class LrFinderControllerTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private LrFinderService finder;

	@Test
	void answersTheCurveAndBothRulesNamedWithNonFiniteLossesAsStrings() {
		double[] lrs = { 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1 };
		double[] losses = { 2.0, 1.5, Double.NaN, 1.0, 0.9, 3.0 };
		given(this.finder.analyse("lr-find", 1, 1, null))
			.willReturn(new LrFinderResult("lr-find", "stepwise.LRRangeTest", 0.98, lrs, losses, false, 6L,
					LrFinder.steepest(lrs, losses, 1, 1), LrFinder.valley(lrs, losses, 100), 100));
		assertThat(this.mvc.get().uri("/api/v1/schedulers/lr-find/lr-finder?skip_begin=1").exchange()).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo(
					"""
							{"id": "lr-find", "type": "stepwise.LRRangeTest", "beta": 0.98, "points": 6, "truncated": false,
							 "finished": true, "finished_at": 6,
							 "curve": {"lr": [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1], "loss": [2.0, 1.5, "NaN", 1.0, 0.9, 3.0]},
							 "suggestions": {
							  "steepest": {"lr": 1e-5, "index": 1, "loss": 1.5, "skip_begin": 1, "skip_end": 1, "reason": null},
							  "valley": {"lr": null, "index": null, "loss": null, "skip_begin": 6, "skip_end": 5,
							   "reason": "no point left between num_it // 10 and the last 5 before the first NaN loss (6 points): fastai has nothing to choose from"}}}""");
	}

	@Test
	void otherTypesHaveNoFinish() {
		double[] none = {};
		given(this.finder.analyse(eq("steps"), anyInt(), anyInt(), any()))
			.willReturn(new LrFinderResult("steps", "StepLR", 0.5, none, none, true, null,
					LrFinder.steepest(none, none, 10, 1), LrFinder.valley(none, none, 0), 0));
		assertThat(this.mvc.get().uri("/api/v1/schedulers/steps/lr-finder?beta=0.5").exchange()).hasStatusOk()
			.bodyJson()
			.extractingPath("$")
			.asMap()
			.containsEntry("finished", null)
			.containsEntry("finished_at", null)
			.containsEntry("truncated", true)
			.containsEntry("points", 0);
	}

	@Test
	void anUnknownSchedulerIsNotFound() {
		given(this.finder.analyse(eq("nobody"), anyInt(), anyInt(), isNull()))
			.willThrow(new SchedulerNotFoundException("nobody"));
		assertProblem(this.mvc.get().uri("/api/v1/schedulers/nobody/lr-finder").exchange(), 404, "scheduler-not-found");
	}

	@Test
	void parametersAreValidatedAndNamed() {
		String uri = "/api/v1/schedulers/lr-find/lr-finder?";
		assertField(this.mvc.get().uri(uri + "skip_begin=-1").exchange(), 422, "skip_begin", null);
		assertField(this.mvc.get().uri(uri + "skip_begin=10001").exchange(), 422, "skip_begin", null);
		assertField(this.mvc.get().uri(uri + "skip_end=0").exchange(), 422, "skip_end", null);
		assertField(this.mvc.get().uri(uri + "skip_end=two").exchange(), 400, "skip_end", "has the wrong type");
		assertField(this.mvc.get().uri(uri + "beta=1").exchange(), 422, "beta", null);
		assertField(this.mvc.get().uri(uri + "beta=-0.1").exchange(), 422, "beta", null);
		assertField(this.mvc.get().uri(uri + "beta=Infinity").exchange(), 422, "beta", null);
		assertField(this.mvc.get().uri(uri + "beta=NaN").exchange(), 422, "beta", null);
	}

}
