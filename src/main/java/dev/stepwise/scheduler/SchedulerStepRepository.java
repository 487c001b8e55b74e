package dev.stepwise.scheduler;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/**
 * The step history of schedulers.
 */
interface SchedulerStepRepository extends JpaRepository<SchedulerStepEntity, Long> {

	/** The record of one position, without its state document (replays). */
	@Query("select new dev.stepwise.scheduler.HistoryEntry(s.lastEpoch, s.position, s.metric, s.paramGroupsJson, s.recordedAt)"
			+ " from SchedulerStepEntity s where s.schedulerId = :schedulerId and s.position = :position")
	Optional<HistoryEntry> findRow(long schedulerId, double position);

	/** Records from {@code from} to {@code to} in epoch order, without their state documents. */
	@Query("select new dev.stepwise.scheduler.HistoryEntry(s.lastEpoch, s.position, s.metric, s.paramGroupsJson, s.recordedAt)"
			+ " from SchedulerStepEntity s where s.schedulerId = :schedulerId and s.position >= :from and s.position <= :to"
			+ " order by s.position")
	List<HistoryEntry> findRows(long schedulerId, double from, double to, Limit limit);

	/** The last record of epoch {@code lastEpoch} (its end, when fractional epochs were stepped to). */
	Optional<SchedulerStepEntity> findFirstBySchedulerIdAndLastEpochOrderByPositionDesc(long schedulerId,
			long lastEpoch);

	@Modifying(flushAutomatically = true)
	@Query("delete from SchedulerStepEntity s where s.schedulerId = :schedulerId and s.position > :position")
	int deleteAfter(long schedulerId, double position);

	@Modifying(flushAutomatically = true)
	@Query("delete from SchedulerStepEntity s where s.schedulerId = :schedulerId and s.position >= :position")
	int deleteFrom(long schedulerId, double position);

}
