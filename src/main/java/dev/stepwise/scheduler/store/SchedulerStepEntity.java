package dev.stepwise.scheduler.store;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/**
 * One record of a scheduler's history: the state a step (or the registration) produced,
 * with the metric it was given.
 */
@Entity
@Table(name = "scheduler_step")
class SchedulerStepEntity {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	private long schedulerId;

	private long lastEpoch;

	private double position;

	private @Nullable Double metric;

	private String stateJson;

	private String paramGroupsJson;

	private Instant recordedAt;

	private @Nullable String attempt;

	private @Nullable Long consumed;

	protected SchedulerStepEntity() {
	}

	SchedulerStepEntity(long schedulerId, Snapshot snapshot, @Nullable Double metric, Instant recordedAt) {
		this.schedulerId = schedulerId;
		this.lastEpoch = snapshot.lastEpoch();
		this.position = snapshot.position();
		this.metric = metric;
		this.stateJson = snapshot.stateJson();
		this.paramGroupsJson = snapshot.paramGroupsJson();
		this.consumed = snapshot.consumed();
		this.recordedAt = recordedAt;
	}

	SchedulerStepEntity(long schedulerId, Snapshot snapshot, @Nullable Double metric, Instant recordedAt,
			@Nullable String attempt) {
		this(schedulerId, snapshot, metric, recordedAt);
		this.attempt = attempt;
	}

	long getSchedulerId() {
		return this.schedulerId;
	}

	long getLastEpoch() {
		return this.lastEpoch;
	}

	double getPosition() {
		return this.position;
	}

	@Nullable Double getMetric() {
		return this.metric;
	}

	String getStateJson() {
		return this.stateJson;
	}

	String getParamGroupsJson() {
		return this.paramGroupsJson;
	}

	Instant getRecordedAt() {
		return this.recordedAt;
	}

	@Nullable String getAttempt() {
		return this.attempt;
	}

	/** The state this record holds, as a snapshot to move a scheduler back to. */
	Snapshot snapshot() {
		return new Snapshot(this.lastEpoch, this.position, this.stateJson, this.paramGroupsJson, this.consumed);
	}

}
