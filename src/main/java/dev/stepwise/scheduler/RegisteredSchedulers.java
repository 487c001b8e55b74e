package dev.stepwise.scheduler;

import java.time.Duration;
import java.util.function.LongSupplier;

import dev.stepwise.scheduler.store.SchedulerStore;
import dev.stepwise.system.StepwiseMeters;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The {@value StepwiseMeters#SCHEDULERS_REGISTERED} gauge: the table is counted when a
 * scrape reads the gauge and the last count is older than
 * {@code stepwise.metrics.registered-count-interval} (15 s), so scrapes, however
 * frequent, cost at most one count per interval. Counted in the database, it includes
 * what every replica registered and deleted (each replica reports the same number:
 * aggregate with max, not sum).
 */
@Component
class RegisteredSchedulers {

	private static final Log logger = LogFactory.getLog(RegisteredSchedulers.class);

	private final LongSupplier count;

	private final LongSupplier clock;

	private final long maxAgeNanos;

	private long countedAt;

	private boolean counting;

	private double last = Double.NaN;

	@Autowired
	RegisteredSchedulers(SchedulerStore store, StepwiseMeters meters,
			@Value("${stepwise.metrics.registered-count-interval:15s}") Duration maxAge) {
		this(store::count, System::nanoTime, maxAge);
		meters.watchRegisteredSchedulers(this::value);
	}

	RegisteredSchedulers(LongSupplier count, LongSupplier clock, Duration maxAge) {
		this.count = count;
		this.clock = clock;
		this.maxAgeNanos = maxAge.toNanos();
	}

	/**
	 * The last count, counted again first when older than the interval; NaN until a count
	 * succeeded (a database out of reach keeps the last one).
	 */
	synchronized double value() {
		long now = this.clock.getAsLong();
		if (!this.counting || now - this.countedAt >= this.maxAgeNanos) {
			// a failed count is not retried sooner either
			this.counting = true;
			this.countedAt = now;
			try {
				this.last = this.count.getAsLong();
			}
			catch (DataAccessException ex) {
				logger.debug("Counting the registered schedulers failed; the gauge keeps its last value", ex);
			}
		}
		return this.last;
	}

}
