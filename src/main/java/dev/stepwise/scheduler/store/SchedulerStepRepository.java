package dev.stepwise.scheduler.store;

import java.util.List;
import java.util.Optional;

import dev.stepwise.scheduler.HistoryEntry;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/**
 * The step history of schedulers.
 */
interface SchedulerStepRepository extends JpaRepository<SchedulerStepEntity, Long> {

	/**
	 * Records from {@code from} to {@code to} in epoch order, without their state
	 * documents.
	 */
	@Query("select new dev.stepwise.scheduler.HistoryEntry(s.lastEpoch, s.position, s.metric, s.paramGroupsJson, s.recordedAt,"
			+ " s.attempt, s.consumed)"
			+ " from SchedulerStepEntity s where s.schedulerId = :schedulerId and s.position >= :from and s.position <= :to"
			// both columns of the index: H2 then reads it in order and stops at the limit
			+ " order by s.schedulerId, s.position")
	List<HistoryEntry> findRows(long schedulerId, double from, double to, Limit limit);

	/**
	 * The last record of epoch {@code lastEpoch} (its end, when fractional epochs were
	 * stepped to).
	 */
	default Optional<SchedulerStepEntity> findEndOfEpoch(long schedulerId, long lastEpoch) {
		return findLastInRange(schedulerId, lastEpoch, lastEpoch, lastEpoch + 1.0, Limit.of(1)).stream().findFirst();
	}

	/**
	 * Records of epoch {@code lastEpoch}, latest first: a range of the position index,
	 * since {@code last_epoch} is {@code floor(position)}.
	 */
	@Query("select s from SchedulerStepEntity s where s.schedulerId = :schedulerId and s.position >= :from"
			+ " and s.position < :to and s.lastEpoch = :lastEpoch order by s.position desc")
	List<SchedulerStepEntity> findLastInRange(long schedulerId, long lastEpoch, double from, double to, Limit limit);

	/** The position of a scheduler's last record, {@code null} without any. */
	@Query("select max(s.position) from SchedulerStepEntity s where s.schedulerId = :schedulerId")
	@Nullable Double lastPosition(long schedulerId);

	/**
	 * Deletes a scheduler's whole history (before the scheduler itself: there is no
	 * cascade).
	 */
	@Modifying(flushAutomatically = true)
	@Query("delete from SchedulerStepEntity s where s.schedulerId = :schedulerId")
	int deleteHistory(long schedulerId);

	@Modifying(flushAutomatically = true)
	@Query("delete from SchedulerStepEntity s where s.schedulerId = :schedulerId and s.position > :position")
	int deleteAfter(long schedulerId, double position);

	@Modifying(flushAutomatically = true)
	@Query("delete from SchedulerStepEntity s where s.schedulerId = :schedulerId and s.position >= :position")
	int deleteFrom(long schedulerId, double position);

}
