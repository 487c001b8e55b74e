package dev.stepwise.access.store;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

/**
 * The stored tokens.
 */
interface TokenRepository extends JpaRepository<TokenEntity, String> {

	Page<TokenEntity> findAllByOrderByCreatedAtDescIdDesc(Pageable pageable);

}
