package dev.stepwise.scheduler;


/**
 * The columns {@code GET .../lr} reads.
 *
 * @param pk the surrogate key
 * @param publicId the scheduler id
 * @param lastEpoch the current {@code last_epoch}
 * @param paramGroupsJson the current param groups
 * @param version the row version, changed by every step
 */
record CurrentRow(long pk, String publicId, long lastEpoch, String paramGroupsJson, long version) {

	TaggedState tagged() {
		return new TaggedState(new SchedulerState(this.publicId, this.lastEpoch, this.paramGroupsJson),
				"\"" + this.pk + "-" + this.version + "\"");
	}

}
