package dev.stepwise.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the service, under {@code stepwise.*}.
 *
 * @param dataDir the directory of the default H2 database file (used when
 * {@code STEPWISE_DATABASE_URL} is not set)
 * @param maxRequestSize the largest request body accepted; larger ones get 413
 * @param requestBodyTimeout how long a request body may take to arrive in full (plus up
 * to a quarter of it, at random, so that stalled bodies do not all expire at once); a
 * slower one gets 408 and its connection is closed (the body is read without holding a
 * thread)
 * @param scheduleCacheSize how many compiled schedules are kept in memory
 * @param steps how steps are committed
 * @param compute how many expensive computations (previews, fast-forwards) run and wait
 */
@ConfigurationProperties("stepwise")
public record StepwiseProperties(@DefaultValue("./data") String dataDir, @DefaultValue("1MB") DataSize maxRequestSize,
		@DefaultValue("10s") Duration requestBodyTimeout, @DefaultValue("10000") int scheduleCacheSize,
		@DefaultValue Steps steps, @DefaultValue Compute compute) {

	/**
	 * Group commit of steps, under {@code stepwise.steps.*}.
	 *
	 * @param batchSize the most steps committed in one transaction
	 * @param writers the threads that commit batches: one suits H2, whose commits do not
	 * run in parallel; a few let PostgreSQL flush one batch while the next is taken
	 * @param commitTimeout how long a step request waits for its commit before it is
	 * answered 503 (the step may still be committed: a retry with its epoch is a replay)
	 */
	public record Steps(@DefaultValue("32") int batchSize, @DefaultValue("1") int writers,
			@DefaultValue("5s") Duration commitTimeout) {

	}

	/**
	 * The bulkhead of expensive computations, under {@code stepwise.compute.*}.
	 *
	 * @param concurrency how many run at once; 0 means one fewer than the cores (at least
	 * one), which leaves a core to the steps and reads
	 * @param maxWaiting how many more may wait for a slot; beyond that a request is
	 * refused at once with 503
	 * @param maxWait how long one waits for a slot (or for room in the memory budget)
	 * before it is refused with 503 (also the {@code Retry-After} of the refusal)
	 * @param memoryBudget the heap that the requests being computed (and large request
	 * bodies being read and parsed) may hold at once, by their estimates; 0 means a
	 * quarter of the maximum heap ({@code dev.stepwise.scheduler.MemoryBudget} says why)
	 */
	public record Compute(int concurrency, int maxWaiting, Duration maxWait, DataSize memoryBudget) {

		@ConstructorBinding
		public Compute(@DefaultValue("0") int concurrency, @DefaultValue("8") int maxWaiting,
				@DefaultValue("2s") Duration maxWait, @DefaultValue("0") DataSize memoryBudget) {
			this.concurrency = concurrency;
			this.maxWaiting = maxWaiting;
			this.maxWait = maxWait;
			this.memoryBudget = memoryBudget;
		}

		/** The defaults' memory budget: a quarter of the maximum heap. */
		public Compute(int concurrency, int maxWaiting, Duration maxWait) {
			this(concurrency, maxWaiting, maxWait, DataSize.ofBytes(0));
		}

	}

}
