package dev.stepwise.scheduler.web;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.scheduler.AttemptRecord;
import dev.stepwise.scheduler.Limits;
import dev.stepwise.scheduler.RestoreRecord;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The training attempts a scheduler adopted, and where resumes and state PUTs cut its
 * history.
 *
 * @param items the attempts in the order of their adoption
 * @param restores the latest resumes and state PUTs, oldest first
 */
@Schema(name = "Attempts", description = "The training attempts a scheduler adopted, in the order of their adoption,"
		+ " and where resumes and state PUTs cut its history.")
record AttemptsResponse(List<Item> items,
		@Schema(description = "The latest " + Limits.MAX_RESTORES_LISTED
				+ " resumes and state PUTs (with or without an attempt), oldest first: each cut the history after its"
				+ " epoch. Those before this list's introduction are not recorded.") List<Restore> restores) {

	static AttemptsResponse of(List<AttemptRecord> attempts, List<RestoreRecord> restores) {
		return new AttemptsResponse(attempts.stream().map(Item::of).toList(),
				restores.stream().map(Restore::of).toList());
	}

	/**
	 * A resume or state PUT.
	 *
	 * @param restoredBy how
	 * @param epoch the epoch restored
	 * @param discardedTo the last recorded epoch before the cut
	 * @param attempt the training attempt that restored it
	 * @param restoredAt when
	 */
	@Schema(name = "Restore", description = "A resume or state PUT: the history after epoch was discarded.")
	record Restore(
			@Schema(description = "resume (POST .../resume) or state (PUT .../state).", example = "resume",
					allowableValues = {
							"resume", "state" }) @JsonProperty("restored_by") String restoredBy,
			@Schema(description = "The epoch restored: the history after it was cut (a state PUT records its"
					+ " document at this epoch).", example = "40") long epoch,
			@Schema(description = "The epoch of the last record before the cut: the history from epoch to here was"
					+ " discarded; null when there was none.", example = "57",
					nullable = true) @JsonProperty("discarded_to") @Nullable Number discardedTo,
			@Schema(description = "The training attempt of the request; null without one.",
					nullable = true) @Nullable String attempt,
			@JsonProperty("restored_at") Instant restoredAt){

		static Restore of(RestoreRecord restore) {
			return new Restore(restore.restoredBy(), restore.epoch(),
					(restore.discardedTo() != null) ? HistoryResponse.jsonEpoch(restore.discardedTo()) : null,
					restore.attempt(), restore.restoredAt());
		}

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
