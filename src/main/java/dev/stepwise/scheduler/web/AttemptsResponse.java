package dev.stepwise.scheduler.web;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.scheduler.AttemptRecord;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The training attempts a scheduler adopted.
 *
 * @param items the attempts in the order of their adoption
 */
@Schema(name = "Attempts", description = "The training attempts a scheduler adopted, in the order of their adoption.")
record AttemptsResponse(List<Item> items) {

	static AttemptsResponse of(List<AttemptRecord> attempts) {
		return new AttemptsResponse(attempts.stream().map(Item::of).toList());
	}

	/**
	 * One attempt.
	 *
	 * @param attempt its id
	 * @param current whether it is the current attempt
	 * @param adoptedAt when a registration adopted it
	 * @param startedBy how it started
	 * @param startEpoch the epoch it started from
	 * @param startedAt when it started
	 * @param restoredEpoch the epoch its last resume or state PUT restored
	 * @param supersededAt when a later attempt superseded it
	 */
	@Schema(name = "Attempt", description = "A training attempt of a scheduler.")
	record Item(@Schema(example = "resnet50-run17-job42/1") String attempt, @Schema(
			description = "Whether it is the scheduler's current attempt (the last one adopted).") boolean current,
			@JsonProperty("adopted_at") Instant adoptedAt,
			@Schema(description = "How it started: step (its first step, from the schedule's start: no checkpoint),"
					+ " resume or state (from a checkpoint); null until it starts.", example = "resume",
					allowableValues = {
							"step", "resume", "state" },
					nullable = true) @JsonProperty("started_by") @Nullable String startedBy,
			@Schema(description = "The epoch it started from.", example = "40",
					nullable = true) @JsonProperty("start_epoch") @Nullable Number startEpoch,
			@Schema(nullable = true) @JsonProperty("started_at") @Nullable Instant startedAt,
			@Schema(description = "The epoch its last resume or state PUT restored; restoring it again (another"
					+ " rank) changes nothing.", example = "40",
					nullable = true) @JsonProperty("restored_epoch") @Nullable Long restoredEpoch,
			@Schema(nullable = true) @JsonProperty("superseded_at") @Nullable Instant supersededAt){

		static Item of(AttemptRecord attempt) {
			return new Item(attempt.attempt(), attempt.current(), attempt.adoptedAt(), attempt.startedBy(),
					(attempt.startEpoch() != null) ? HistoryResponse.jsonEpoch(attempt.startEpoch()) : null,
					attempt.startedAt(), attempt.restoredEpoch(), attempt.supersededAt());
		}

	}

}
