package dev.stepwise.scheduler.web;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.stepwise.scheduler.DownsampledHistory;
import dev.stepwise.scheduler.HistoryEntry;
import dev.stepwise.scheduler.HistoryPage;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A slice of a scheduler's history.
 *
 * @param items the records in epoch order
 * @param nextFromEpoch the {@code from_epoch} of the next slice, {@code null} at the end
 * @param downsampled with {@code points}: whether the items are a choice of the range's
 * records; absent without {@code points}
 * @param totalRecords with {@code points}: how many records the range holds
 */
@Schema(name = "History", description = "A slice of a scheduler's history, in epoch order.")
record HistoryResponse(List<Item> items,
		@Schema(description = "from_epoch of the next slice; null when this slice reaches to_epoch or the end"
				+ " (always null with points).", example = "1000",
				nullable = true) @JsonProperty("next_from_epoch") @Nullable Number nextFromEpoch,
		@Schema(description = "Only with points: true when the range holds more than points records and items are"
				+ " the M4 choice of them (per bucket of the epoch range: the first, the last, the lowest and"
				+ " highest lr of the first param group, the lowest and highest metric); false when items are all"
				+ " of them.",
				example = "true") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Boolean downsampled,
		@Schema(description = "Only with points: how many records the range holds.",
				example = "1000001") @JsonProperty("total_records") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long totalRecords) {

	static HistoryResponse of(HistoryPage page) {
		return new HistoryResponse(page.items().stream().map(Item::of).toList(),
				(page.nextFromEpoch() != null) ? jsonEpoch(page.nextFromEpoch()) : null, null, null);
	}

	static HistoryResponse of(DownsampledHistory history) {
		return new HistoryResponse(history.items().stream().map(Item::of).toList(), null, history.downsampled(),
				history.totalRecords());
	}

	/** An integral epoch as a JSON integer, a fractional one as a decimal. */
	static Number jsonEpoch(double position) {
		return (position == Math.rint(position) && Math.abs(position) < 1e15) ? (Number) (long) position
				: (Number) position;
	}

	/**
	 * One history record.
	 *
	 * @param epoch the epoch stepped to (fractional for CosineAnnealingWarmRestarts'
	 * fractional steps)
	 * @param paramGroups the param groups after the step (JSON written as is)
	 * @param metric the metric the step was given
	 * @param recordedAt when the step was taken
	 * @param attempt the training attempt that took the step
	 * @param consumed the tokens or samples consumed so far, for a schedule in that unit
	 */
	@Schema(name = "HistoryItem", description = "The state one step (or the registration) produced.")
	record Item(
			@Schema(description = "The epoch stepped to: last_epoch, or a fractional epoch of"
					+ " CosineAnnealingWarmRestarts.", example = "0") Number epoch,
			@ArraySchema(schema = @Schema(
					implementation = ParamGroupBody.class)) @JsonProperty("param_groups") @JsonRawValue String paramGroups,
			@Schema(description = "The metric of the step; null for none; non-finite values as strings.",
					nullable = true) @Nullable Double metric,
			@JsonProperty("recorded_at") Instant recordedAt,
			@Schema(description = "The training attempt that took the step (or registered, or restored the state;"
					+ " the start of an attempt that started without a checkpoint is recorded again as its own);"
					+ " null for requests without an attempt.", example = "resnet50-run17-job42/1",
					nullable = true) @Nullable String attempt,
			@Schema(description = StateResponse.UNITS_CONSUMED, example = "1572864",
					nullable = true) @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long consumed) {

		static Item of(HistoryEntry entry) {
			return new Item(jsonEpoch(entry.position()), entry.paramGroupsJson(), entry.metric(), entry.recordedAt(),
					entry.attempt(), entry.consumed());
		}

	}

}
