package dev.stepwise.scheduler.store;

import java.time.Instant;

import dev.stepwise.scheduler.AttemptRecord;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/**
 * A training attempt a scheduler adopted: when, how it started, what it last restored and
 * when it was superseded.
 */
@Entity
@Table(name = "scheduler_attempt")
class SchedulerAttemptEntity {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	private long schedulerId;

	private String attempt;

	private Instant adoptedAt;

	private @Nullable String startedBy;

	private @Nullable Double startEpoch;

	private @Nullable Instant startedAt;

	private @Nullable Long restoredEpoch;

	private @Nullable Instant supersededAt;

	protected SchedulerAttemptEntity() {
	}

	SchedulerAttemptEntity(long schedulerId, String attempt, Instant adoptedAt) {
		this.schedulerId = schedulerId;
		this.attempt = attempt;
		this.adoptedAt = adoptedAt;
	}

	/** Records how the attempt started, unless it has. */
	void start(String by, double epoch, Instant at) {
		if (this.startedBy == null) {
			this.startedBy = by;
			this.startEpoch = epoch;
			this.startedAt = at;
		}
	}

	void restored(long epoch) {
		this.restoredEpoch = epoch;
	}

	void supersede(Instant at) {
		this.supersededAt = at;
	}

	String getAttempt() {
		return this.attempt;
	}

	@Nullable Long getRestoredEpoch() {
		return this.restoredEpoch;
	}

	AttemptRecord record(@Nullable String current) {
		return new AttemptRecord(this.attempt, this.attempt.equals(current), this.adoptedAt, this.startedBy,
				this.startEpoch, this.startedAt, this.restoredEpoch, this.supersededAt);
	}

}
