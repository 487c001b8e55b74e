package dev.stepwise.scheduler.store;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.DynamicUpdate;
import org.jspecify.annotations.Nullable;

/**
 * A registered scheduler as stored: its registration and where it stands now.
 */
@Entity
@Table(name = "scheduler")
@DynamicUpdate
class SchedulerEntity {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	private String publicId;

	private String type;

	private String specJson;

	private String requestJson;

	private String initialParamGroupsJson;

	private long lastEpoch;

	private double position;

	private @Nullable Long consumed;

	private String stateJson;

	private String paramGroupsJson;

	@Version
	private long version;

	private Instant createdAt;

	private Instant updatedAt;

	private @Nullable String attempt;

	private boolean attemptStarted = true;

	/** The amendment in force ({@code scheduler_amendment.id}), or {@code null}. */
	private @Nullable Long amendment;

	/** The epoch of the pending amendment, or {@code null}. */
	private @Nullable Long pendingEpoch;

	protected SchedulerEntity() {
	}

	SchedulerEntity(String publicId, Registered registration, Snapshot snapshot, Instant now) {
		this.publicId = publicId;
		this.type = registration.type();
		this.specJson = registration.specJson();
		this.requestJson = registration.requestJson();
		this.initialParamGroupsJson = registration.initialParamGroupsJson();
		this.createdAt = now;
		moveTo(snapshot, now);
	}

	SchedulerEntity(String publicId, Registered registration, Snapshot snapshot, Instant now,
			@Nullable String attempt) {
		this(publicId, registration, snapshot, now);
		this.attempt = attempt;
		this.attemptStarted = (attempt == null);
	}

	/**
	 * Makes {@code attempt} the current attempt, not started yet, and {@code start} the
	 * state.
	 */
	void adopt(String attempt, Snapshot start, Instant now) {
		this.attempt = attempt;
		this.attemptStarted = false;
		moveTo(start, now);
	}

	/** Marks the current attempt started. */
	void startAttempt() {
		this.attemptStarted = true;
	}

	/** Makes {@code snapshot} the current state. */
	void moveTo(Snapshot snapshot, Instant now) {
		this.lastEpoch = snapshot.lastEpoch();
		this.position = snapshot.position();
		this.stateJson = snapshot.stateJson();
		this.paramGroupsJson = snapshot.paramGroupsJson();
		this.consumed = snapshot.consumed();
		this.updatedAt = now;
	}

	@Nullable Long getAmendment() {
		return this.amendment;
	}

	void setAmendment(@Nullable Long amendment) {
		this.amendment = amendment;
	}

	@Nullable Long getPendingEpoch() {
		return this.pendingEpoch;
	}

	void setPendingEpoch(@Nullable Long pendingEpoch) {
		this.pendingEpoch = pendingEpoch;
	}

	long getId() {
		if (this.id == null) {
			throw new IllegalStateException("Not persisted yet");
		}
		return this.id;
	}

	String getPublicId() {
		return this.publicId;
	}

	String getType() {
		return this.type;
	}

	String getSpecJson() {
		return this.specJson;
	}

	String getRequestJson() {
		return this.requestJson;
	}

	String getInitialParamGroupsJson() {
		return this.initialParamGroupsJson;
	}

	long getLastEpoch() {
		return this.lastEpoch;
	}

	@Nullable Long getConsumed() {
		return this.consumed;
	}

	double getPosition() {
		return this.position;
	}

	String getStateJson() {
		return this.stateJson;
	}

	String getParamGroupsJson() {
		return this.paramGroupsJson;
	}

	long getVersion() {
		return this.version;
	}

	Instant getCreatedAt() {
		return this.createdAt;
	}

	Instant getUpdatedAt() {
		return this.updatedAt;
	}

	@Nullable String getAttempt() {
		return this.attempt;
	}

	boolean isAttemptStarted() {
		return this.attemptStarted;
	}

}
