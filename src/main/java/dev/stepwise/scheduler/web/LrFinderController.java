package dev.stepwise.scheduler.web;

import dev.stepwise.schedule.LrFinder;
import dev.stepwise.scheduler.InvalidRequestException;
import dev.stepwise.scheduler.Limits;
import dev.stepwise.scheduler.LrFinderService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The learning rate finder: what a range test's history says about the lr to train with.
 */
@RestController
@RequestMapping(path = ApiPaths.SCHEDULER, produces = MediaType.APPLICATION_JSON_VALUE)
class LrFinderController {

	private final LrFinderService finder;

	LrFinderController(LrFinderService finder) {
		this.finder = finder;
	}

	@GetMapping("/lr-finder")
	@Tag(name = "Steps")
	@Operation(summary = "Find the learning rate",
			description = "The smoothed loss against the lr of the scheduler's steps, and the lr two rules suggest"
					+ " from it. Meant for a stepwise.LRRangeTest (or a deepspeed.LRRangeTest) stepped with the batch"
					+ " loss as metric, it reads any scheduler's history. Each point is one step: the first group's"
					+ " lr recorded before the step (the lr the batch trained with) and the step's metric, smoothed as"
					+ " Lightning's lr_find does (avg = beta * avg + (1 - beta) * loss, divided by 1 - beta^(k + 1)"
					+ " at the k-th step). steepest is Lightning's suggestion(skip_begin, skip_end), valley fastai's;"
					+ " a rule with too few points answers lr null and a reason. The history's first "
					+ Limits.MAX_LR_FINDER_POINTS + " steps are analysed (truncated says"
					+ " when it holds more). It takes a compute slot (503 when every slot is busy).")
	@ApiResponse(responseCode = "200", description = "The curve and the suggestions.")
	@ProblemResponses({ ProblemType.SCHEDULER_NOT_FOUND, ProblemType.MALFORMED_REQUEST, ProblemType.INVALID_ARGUMENT,
			ProblemType.SERVICE_UNAVAILABLE })
	LrFinderResponse lrFinder(@PathVariable String id, @Parameter(
			description = "Lightning's skip_begin: points left out at the start of the steepest-descent"
					+ " search, 0 to " + Limits.MAX_LR_FINDER_POINTS + ".",
			schema = @Schema(type = "integer", format = "int32",
					defaultValue = "" + LrFinder.DEFAULT_SKIP_BEGIN)) @RequestParam(name = "skip_begin",
							required = false) @Min(0) @Max(Limits.MAX_LR_FINDER_POINTS) @Nullable Integer skipBegin,
			@Parameter(
					description = "Lightning's skip_end: points left out at the end, 1 to "
							+ Limits.MAX_LR_FINDER_POINTS + " (Lightning's slice [skip_begin:-0] would" + " be empty).",
					schema = @Schema(type = "integer", format = "int32",
							defaultValue = "" + LrFinder.DEFAULT_SKIP_END)) @RequestParam(name = "skip_end",
									required = false) @Min(1) @Max(Limits.MAX_LR_FINDER_POINTS) @Nullable Integer skipEnd,
			@Parameter(description = "The smoothing, 0 <= beta < 1; default: the range test's beta, else 0.98.",
					example = "0.98") @RequestParam(required = false) @DecimalMin("0") @DecimalMax(value = "1",
							inclusive = false) @Nullable Double beta) {
		if (beta != null && Double.isNaN(beta)) {
			throw new InvalidRequestException("beta", "must be a number, not NaN");
		}
		return LrFinderResponse
			.of(this.finder.analyse(id, (skipBegin != null) ? skipBegin : LrFinder.DEFAULT_SKIP_BEGIN,
					(skipEnd != null) ? skipEnd : LrFinder.DEFAULT_SKIP_END, beta));
	}

}
