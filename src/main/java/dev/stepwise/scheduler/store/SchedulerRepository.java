package dev.stepwise.scheduler.store;

import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
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

	Page<SchedulerEntity> findAllByOrderByCreatedAtDescIdDesc(Pageable pageable);

	/** Like the above, of the ids like {@code idLike} (escaped with a backslash). */
	@Query(value = "select s from SchedulerEntity s where s.publicId like :idLike escape '\\'"
			+ " order by s.createdAt desc, s.id desc",
			countQuery = "select count(s) from SchedulerEntity s where s.publicId like :idLike escape '\\'")
	Page<SchedulerEntity> findByPublicIdLike(String idLike, Pageable pageable);

	@Modifying
	@Query("delete from SchedulerEntity s where s.publicId = :publicId")
	int deleteByPublicId(String publicId);

}
