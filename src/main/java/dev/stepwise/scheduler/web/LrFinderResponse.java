package dev.stepwise.scheduler.web;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.schedule.LrFinder.Suggestion;
import dev.stepwise.scheduler.Limits;
import dev.stepwise.scheduler.LrFinderResult;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The lr finder's answer: the smoothed loss against the lr, and the suggested lr of each
 * rule.
 *
 * @param id the scheduler id
 * @param type its type
 * @param beta the smoothing used
 * @param points how many steps were analysed
 * @param truncated whether the history holds more steps than were analysed
 * @param finished for a stepwise.LRRangeTest, whether it finished; else null
 * @param finishedAt the epoch it finished at; else null
 * @param curve the smoothed curve
 * @param suggestions the two rules' suggestions
 */
@Schema(name = "LrFinder", description = "The smoothed loss against the lr of a scheduler's steps, and the lr"
		+ " suggested by Lightning's steepest descent and fastai's valley.")
record LrFinderResponse(@Schema(example = "resnet50-lr-find") String id,
		@Schema(example = "stepwise.LRRangeTest") String type,
		@Schema(description = "The smoothing of the loss: the range test's beta, the beta parameter, else 0.98.",
				example = "0.98") double beta,
		@Schema(description = "Steps analysed: the history's first " + Limits.MAX_LR_FINDER_POINTS + " at most.",
				example = "98") int points,
		@Schema(description = "true when the history holds more steps than points: the analysis covers the first"
				+ " ones.", example = "false") boolean truncated,
		@Schema(description = "For a stepwise.LRRangeTest: whether it finished (its loss diverged or it took"
				+ " num_steps steps; further steps are refused); null for other types.", example = "true",
				nullable = true) @Nullable Boolean finished,
		@Schema(description = "The epoch a stepwise.LRRangeTest finished at; null while it runs and for other types.",
				example = "98", nullable = true) @JsonProperty("finished_at") @Nullable Long finishedAt,
		Curve curve, Suggestions suggestions) {

	static LrFinderResponse of(LrFinderResult result) {
		Long finishedAt = result.finishedAt();
		boolean running = finishedAt == null || finishedAt == 0;
		return new LrFinderResponse(result.id(), result.type(), result.beta(), result.lrs().length, result.truncated(),
				(finishedAt != null) ? !running : null, running ? null : finishedAt,
				new Curve(list(result.lrs()), list(result.losses())),
				new Suggestions(Rule.of(result.steepest()), Rule.of(result.valley())));
	}

	private static List<Double> list(double[] values) {
		return Arrays.stream(values).boxed().toList();
	}

	/**
	 * The points, one per step.
	 *
	 * @param lr the first group's lr during each step's batch
	 * @param loss the smoothed loss of each
	 */
	@Schema(name = "LrFinderCurve", description = "One point per step: the lr its batch trained with (the first"
			+ " group's lr recorded before the step) and the smoothed loss (the step's metric, smoothed as Lightning's"
			+ " lr_find does; NaN where a step had no metric, as the string \"NaN\").")
	record Curve(@ArraySchema(schema = @Schema(example = "1e-06")) List<Double> lr,
			@ArraySchema(schema = @Schema(example = "2.31")) List<Double> loss) {

	}

	/**
	 * The suggestions.
	 *
	 * @param steepest Lightning's steepest descent
	 * @param valley fastai's valley
	 */
	@Schema(name = "LrFinderSuggestions")
	record Suggestions(@Schema(description = "Lightning's _LRFinder.suggestion(skip_begin, skip_end): the point of"
			+ " the steepest negative gradient of the loss against the lr (torch.gradient on float32 tensors, the"
			+ " non-finite losses dropped).") Rule steepest,
			@Schema(description = "fastai's valley, as Learner.lr_find applies it: the longest decreasing run of the"
					+ " points [num_it // 10 : -5] (cut at the first NaN), and the point a third plus a sixth of"
					+ " the way along it.") Rule valley) {

	}

	/**
	 * One rule's suggestion.
	 *
	 * @param lr the suggested lr, or null
	 * @param index its point, or null
	 * @param loss its smoothed loss, or null
	 * @param skipBegin the points skipped at the start
	 * @param skipEnd the points skipped at the end
	 * @param reason why there is no suggestion, or null
	 */
	@Schema(name = "LrFinderSuggestion")
	record Rule(
			@Schema(description = "The suggested lr; null when the rule has too few points.", example = "0.00123",
					nullable = true) @Nullable Double lr,
			@Schema(description = "Its point in the curve.", example = "31", nullable = true) @Nullable Integer index,
			@Schema(description = "Its smoothed loss.", example = "1.18", nullable = true) @Nullable Double loss,
			@Schema(description = "Points skipped at the start of the curve.",
					example = "10") @JsonProperty("skip_begin") int skipBegin,
			@Schema(description = "Points skipped at its end.", example = "1") @JsonProperty("skip_end") int skipEnd,
			@Schema(description = "Why there is no suggestion (too few points), else null.",
					nullable = true) @Nullable String reason) {

		static Rule of(Suggestion suggestion) {
			return new Rule(suggestion.lr(), suggestion.index(), suggestion.loss(), suggestion.skipBegin(),
					suggestion.skipEnd(), suggestion.reason());
		}

	}

}
