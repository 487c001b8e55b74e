package dev.stepwise.access.store;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.stepwise.access.AccessToken;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCacheTests {

	private static final AccessToken TOKEN = new AccessToken("tok_1", "job", "resnet-*", true,
			Instant.parse("2026-11-27T00:00:00Z"), null, null);

	private final TokenCache cache = new TokenCache();

	private final AtomicInteger reads = new AtomicInteger();

	private Supplier<Optional<AccessToken>> database(Optional<AccessToken> answer) {
		return () -> {
			this.reads.incrementAndGet();
			return answer;
		};
	}

	@Test
	void offItReadsTheDatabaseEveryTime() {
		for (int i = 0; i < 3; i++) {
			assertThat(this.cache.get("aa", database(Optional.of(TOKEN)))).contains(TOKEN);
		}
		assertThat(this.reads).hasValue(3);
		assertThat(this.cache.size()).isZero();
	}

	@Test
	void liveItReadsATokenOnce() {
		this.cache.live(true);
		for (int i = 0; i < 3; i++) {
			assertThat(this.cache.get("aa", database(Optional.of(TOKEN)))).contains(TOKEN);
		}
		assertThat(this.reads).hasValue(1);
	}

	@Test
	void anUnknownSecretIsNeverCachedSoATokenMintedElsewhereWorksAtOnce() {
		this.cache.live(true);
		assertThat(this.cache.get("aa", database(Optional.empty()))).isEmpty();
		assertThat(this.cache.get("aa", database(Optional.of(TOKEN)))).contains(TOKEN);
		assertThat(this.reads).hasValue(2);
	}

	@Test
	void aClearMakesTheNextRequestReadTheDatabase() {
		this.cache.live(true);
		this.cache.get("aa", database(Optional.of(TOKEN)));
		AccessToken revoked = new AccessToken("tok_1", "job", "resnet-*", true, TOKEN.createdAt(), null,
				Instant.parse("2026-11-27T01:00:00Z"));
		this.cache.clear();
		assertThat(this.cache.get("aa", database(Optional.of(revoked)))).contains(revoked);
		assertThat(this.reads).hasValue(2);
	}

	@Test
	void aReadThatRacedWithAClearIsNotKept() {
		this.cache.live(true);
		// the revocation commits while this request reads the token, not yet revoked
		assertThat(this.cache.get("aa", () -> {
			this.reads.incrementAndGet();
			this.cache.clear();
			return Optional.of(TOKEN);
		})).contains(TOKEN);
		assertThat(this.cache.size()).isZero();
		this.cache.get("aa", database(Optional.of(TOKEN)));
		assertThat(this.reads).hasValue(2);
	}

	@Test
	void goingOffForgetsEverythingAndGoingLiveAgainStartsEmpty() {
		this.cache.live(true);
		this.cache.get("aa", database(Optional.of(TOKEN)));
		this.cache.live(false);
		assertThat(this.cache.size()).isZero();
		this.cache.get("aa", database(Optional.of(TOKEN)));
		this.cache.live(true);
		this.cache.get("aa", database(Optional.of(TOKEN)));
		assertThat(this.reads).hasValue(3);
	}

	@Test
	void onlyAnEmbeddedH2IsOwnedByOneProcess() {
		assertThat(TokenRevocations.embeddedH2("H2", "jdbc:h2:file:/data/stepwise;WRITE_DELAY=0")).isTrue();
		assertThat(TokenRevocations.embeddedH2("H2", "jdbc:h2:mem:test")).isTrue();
		assertThat(TokenRevocations.embeddedH2("H2", "jdbc:h2:file:/data/stepwise;AUTO_SERVER=TRUE")).isFalse();
		assertThat(TokenRevocations.embeddedH2("H2", "jdbc:h2:tcp://db:9092/stepwise")).isFalse();
		assertThat(TokenRevocations.embeddedH2("PostgreSQL", "jdbc:postgresql://db/stepwise")).isFalse();
	}

}
