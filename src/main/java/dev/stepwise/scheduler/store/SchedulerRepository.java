package dev.stepwise.scheduler.store;

import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/**
 * Registered schedulers, by their public id.
 */
interface SchedulerRepository extends JpaRepository<SchedulerEntity, Long> {

	Optional<SchedulerEntity> findByPublicId(String publicId);

	/**
	 * The scheduler, its row locked until the transaction ends: steps of one scheduler
	 * queue here.
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select s from SchedulerEntity s where s.publicId = :publicId")
	Optional<SchedulerEntity> lockByPublicId(String publicId);

	@Modifying
	@Query("delete from SchedulerEntity s where s.publicId = :publicId")
	int deleteByPublicId(String publicId);

}
