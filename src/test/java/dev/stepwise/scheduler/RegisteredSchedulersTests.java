package dev.stepwise.scheduler;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registered-schedulers gauge counts the table at most once per interval, however
 * often it is read, and keeps its last count while the database is out of reach.
 */
class RegisteredSchedulersTests {

	private final AtomicLong now = new AtomicLong();

	private final AtomicInteger counts = new AtomicInteger();

	private final AtomicLong rows = new AtomicLong(7);

	private boolean databaseDown;

	private final RegisteredSchedulers gauge = new RegisteredSchedulers(() -> {
		this.counts.incrementAndGet();
		if (this.databaseDown) {
			throw new DataAccessResourceFailureException("down");
		}
		return this.rows.get();
	}, this.now::get, Duration.ofSeconds(15));

	@Test
	void countsAtMostOncePerInterval() {
		assertThat(this.gauge.value()).isEqualTo(7);
		this.rows.set(9);
		this.now.addAndGet(Duration.ofSeconds(14).toNanos());
		assertThat(this.gauge.value()).isEqualTo(7);
		assertThat(this.gauge.value()).isEqualTo(7);
		assertThat(this.counts).hasValue(1);
		this.now.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThat(this.gauge.value()).isEqualTo(9);
		assertThat(this.counts).hasValue(2);
	}

	@Test
	void keepsTheLastCountWhileTheDatabaseIsDownWithoutCountingAtEveryRead() {
		this.databaseDown = true;
		assertThat(this.gauge.value()).isNaN();
		assertThat(this.gauge.value()).isNaN();
		assertThat(this.counts).hasValue(1);
		this.databaseDown = false;
		this.now.addAndGet(Duration.ofSeconds(15).toNanos());
		assertThat(this.gauge.value()).isEqualTo(7);
		this.databaseDown = true;
		this.now.addAndGet(Duration.ofSeconds(15).toNanos());
		assertThat(this.gauge.value()).isEqualTo(7);
	}

}
