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
 * @param rateLimit the requests each client may send
 */
@ConfigurationProperties("stepwise")
public record StepwiseProperties(String dataDir, DataSize maxRequestSize, Duration requestBodyTimeout,
		int scheduleCacheSize, Steps steps, Compute compute, RateLimit rateLimit) {

	@ConstructorBinding
	public StepwiseProperties(@DefaultValue("./data") String dataDir, @DefaultValue("1MB") DataSize maxRequestSize,
			@DefaultValue("10s") Duration requestBodyTimeout, @DefaultValue("10000") int scheduleCacheSize,
			@DefaultValue Steps steps, @DefaultValue Compute compute, @DefaultValue RateLimit rateLimit) {
		this.dataDir = dataDir;
		this.maxRequestSize = maxRequestSize;
		this.requestBodyTimeout = requestBodyTimeout;
		this.scheduleCacheSize = scheduleCacheSize;
		this.steps = steps;
		this.compute = compute;
		this.rateLimit = rateLimit;
	}

	/** The defaults' rate limit. */
	public StepwiseProperties(String dataDir, DataSize maxRequestSize, Duration requestBodyTimeout,
			int scheduleCacheSize, Steps steps, Compute compute) {
		this(dataDir, maxRequestSize, requestBodyTimeout, scheduleCacheSize, steps, compute, RateLimit.DEFAULTS);
	}

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
	 * The rate limit per client, under {@code stepwise.rate-limit.*}: a token bucket per
	 * bearer token (per remote address for requests without one, when {@code anonymous}).
	 * The defaults let a large job through untouched (a few hundred ranks, each posting a
	 * step and reading its lr a few times a second, all at once at each step) and hold a
	 * runaway one to a share of a replica; a local benchmark or a single machine's
	 * training, without tokens, is never limited.
	 *
	 * @param enabled whether requests are limited at all
	 * @param requestsPerSecond the rate a client's bucket refills at, per replica
	 * @param burst the requests a client may send at once (a full bucket)
	 * @param anonymous whether requests without a bearer token are limited too, each
	 * remote address its own bucket
	 * @param maxClients the most buckets kept per replica (the least used are forgotten,
	 * and come back full)
	 */
	public record RateLimit(boolean enabled, double requestsPerSecond, int burst, boolean anonymous, int maxClients) {

		/** The default of {@code requests-per-second}. */
		public static final String DEFAULT_REQUESTS_PER_SECOND = "2000";

		/** The default of {@code burst}. */
		public static final String DEFAULT_BURST = "4000";

		/** The default of {@code max-clients}. */
		public static final String DEFAULT_MAX_CLIENTS = "10000";

		/** The highest rate and burst: a bucket's arithmetic stays far from overflow. */
		public static final int MAX = 1_000_000;

		/** The lowest rate: one request every 1,000 s. */
		public static final double MIN_REQUESTS_PER_SECOND = 0.001;

		static final RateLimit DEFAULTS = new RateLimit(true, Double.parseDouble(DEFAULT_REQUESTS_PER_SECOND),
				Integer.parseInt(DEFAULT_BURST), false, Integer.parseInt(DEFAULT_MAX_CLIENTS));

		@ConstructorBinding
		public RateLimit(@DefaultValue("true") boolean enabled,
				@DefaultValue(DEFAULT_REQUESTS_PER_SECOND) double requestsPerSecond,
				@DefaultValue(DEFAULT_BURST) int burst, @DefaultValue("false") boolean anonymous,
				@DefaultValue(DEFAULT_MAX_CLIENTS) int maxClients) {
			if (!(requestsPerSecond >= MIN_REQUESTS_PER_SECOND && requestsPerSecond <= MAX)) {
				throw new IllegalArgumentException("stepwise.rate-limit.requests-per-second must be from "
						+ MIN_REQUESTS_PER_SECOND + " to " + MAX + ", not " + requestsPerSecond);
			}
			if (burst < 1 || burst > MAX) {
				throw new IllegalArgumentException(
						"stepwise.rate-limit.burst must be from 1 to " + MAX + ", not " + burst);
			}
			if (maxClients < 1) {
				throw new IllegalArgumentException(
						"stepwise.rate-limit.max-clients must be at least 1, not " + maxClients);
			}
			this.enabled = enabled;
			this.requestsPerSecond = requestsPerSecond;
			this.burst = burst;
			this.anonymous = anonymous;
			this.maxClients = maxClients;
		}

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
