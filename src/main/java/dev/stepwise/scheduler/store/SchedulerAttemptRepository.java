package dev.stepwise.scheduler.store;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/**
 * The training attempts schedulers adopted.
 */
interface SchedulerAttemptRepository extends JpaRepository<SchedulerAttemptEntity, Long> {

	Optional<SchedulerAttemptEntity> findBySchedulerIdAndAttempt(long schedulerId, String attempt);

	/** A scheduler's attempts in the order of their adoption. */
	List<SchedulerAttemptEntity> findBySchedulerIdOrderByIdAsc(long schedulerId);

	/**
	 * Deletes a scheduler's attempts (before the scheduler itself: there is no cascade).
	 */
	@Modifying(flushAutomatically = true)
	@Query("delete from SchedulerAttemptEntity a where a.schedulerId = :schedulerId")
	int deleteAttempts(long schedulerId);

}
