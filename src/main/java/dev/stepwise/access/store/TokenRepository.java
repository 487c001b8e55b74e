package dev.stepwise.access.store;

import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

/**
 * The stored tokens.
 */
interface TokenRepository extends JpaRepository<TokenEntity, String> {

	Optional<TokenEntity> findBySecretSha256(String secretSha256);

	Page<TokenEntity> findAllByOrderByCreatedAtDescIdDesc(Pageable pageable);

}
