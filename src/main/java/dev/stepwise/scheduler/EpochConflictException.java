package dev.stepwise.scheduler;

import org.jspecify.annotations.Nullable;

/**
 * A step, replay or resume that does not fit the scheduler's recorded history: a gap, a
 * different metric for a recorded epoch, an epoch no longer recorded.
 */
public class EpochConflictException extends RuntimeException {

	private final long lastEpoch;

	private final @Nullable Long expectedEpoch;

	public EpochConflictException(String message, long lastEpoch, @Nullable Long expectedEpoch) {
		super(message);
		this.lastEpoch = lastEpoch;
		this.expectedEpoch = expectedEpoch;
	}

	public static EpochConflictException gap(String epoch, long lastEpoch) {
		return new EpochConflictException("Epoch " + epoch + " would skip epochs: last_epoch is " + lastEpoch
				+ ", so the next epoch expected is " + (lastEpoch + 1) + ".", lastEpoch, lastEpoch + 1);
	}

	/**
	 * A request of {@code count} steps ending at {@code epoch} when some of them, not
	 * all, were taken: retries repeat the same request, so this one is another.
	 */
	public static EpochConflictException partlyTaken(long epoch, int count, long lastEpoch) {
		return new EpochConflictException(
				"The " + count + " steps to epoch " + epoch + " would start at epoch " + (epoch - count + 1)
						+ ", but last_epoch is already " + lastEpoch + ": some of them were taken by another request.",
				lastEpoch, null);
	}

	/**
	 * Many steps in one request would cross the epoch of a pending amendment before their
	 * last: the amendment takes effect in the step that reaches its epoch.
	 */
	public static EpochConflictException amendmentWithin(long pending, int count, long lastEpoch) {
		return new EpochConflictException("The " + count + " steps from epoch " + lastEpoch + " would cross epoch "
				+ pending + ", where a pending amendment takes effect: post the steps up to" + " epoch " + pending
				+ " first (count " + (pending - lastEpoch) + "), then the rest.", lastEpoch, null);
	}

	public static EpochConflictException notRecorded(String epoch, long lastEpoch) {
		return new EpochConflictException("Epoch " + epoch + " is not recorded (any more) in the history of this"
				+ " scheduler, whose last_epoch is " + lastEpoch + ".", lastEpoch, null);
	}

	public static EpochConflictException metricDiffers(String epoch, @Nullable Double recorded, @Nullable Double given,
			long lastEpoch) {
		return new EpochConflictException(
				"Epoch " + epoch + " was recorded with metric " + recorded + ", not " + given + ".", lastEpoch, null);
	}

	public static EpochConflictException beyond(long epoch, long lastEpoch) {
		return new EpochConflictException(
				"Cannot resume at epoch " + epoch + ": the scheduler's last_epoch is " + lastEpoch + ".", lastEpoch,
				null);
	}

	/** The scheduler's {@code last_epoch} when the conflict was found. */
	public long lastEpoch() {
		return this.lastEpoch;
	}

	/** The epoch the next step must produce, when the conflict is a gap. */
	public @Nullable Long expectedEpoch() {
		return this.expectedEpoch;
	}

}
