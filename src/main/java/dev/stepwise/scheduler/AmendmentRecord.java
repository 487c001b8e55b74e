package dev.stepwise.scheduler;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An amendment of a scheduler as recorded.
 *
 * @param amendmentId the id its poster gave it
 * @param atEpoch the epoch it takes effect at
 * @param status {@link #PENDING}, {@link #APPLIED}, {@link #UNDONE} or {@link #FAILED}
 * @param requestJson the canonical request
 * @param specJson the normalised spec in force from {@code atEpoch} (once applied)
 * @param lrsJson the lr of each group in force at {@code atEpoch} (once applied)
 * @param detail why the engine refused it (failed)
 * @param createdAt when it was posted
 * @param appliedAt when it took effect
 * @param undoneAt when a resume or state PUT before {@code atEpoch} undid it
 */
public record AmendmentRecord(String amendmentId, long atEpoch, String status, String requestJson,
		@Nullable String specJson, @Nullable String lrsJson, @Nullable String detail, Instant createdAt,
		@Nullable Instant appliedAt, @Nullable Instant undoneAt) {

	/** Posted for an epoch not reached yet: the step that reaches it applies it. */
	public static final String PENDING = "pending";

	/** In force from its epoch. */
	public static final String APPLIED = "applied";

	/** Undone by a resume or state PUT to an epoch before it. */
	public static final String UNDONE = "undone";

	/** Refused by the engine when its epoch was reached; the run went on unchanged. */
	public static final String FAILED = "failed";

}
