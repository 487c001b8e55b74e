package dev.stepwise.scheduler.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.stepwise.schedule.ParamGroup;
import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleState;
import dev.stepwise.schedule.SchedulerCatalogue;
import dev.stepwise.schedule.InvalidScheduleException;
import dev.stepwise.schedule.ScheduleAmendment;
import dev.stepwise.schedule.StepException;
import dev.stepwise.scheduler.AmendmentCommand;
import dev.stepwise.scheduler.AmendmentRecord;
import dev.stepwise.scheduler.Amendments;
import dev.stepwise.scheduler.AttemptRecord;
import dev.stepwise.scheduler.CurrentPosition;
import dev.stepwise.scheduler.DownsampledHistory;
import dev.stepwise.scheduler.HistoryEntry;
import dev.stepwise.scheduler.HistoryPage;
import dev.stepwise.scheduler.LossRecords;
import dev.stepwise.scheduler.Limits;
import dev.stepwise.scheduler.M4Selection;
import dev.stepwise.scheduler.Registration;
import dev.stepwise.scheduler.RestoreRecord;
import dev.stepwise.scheduler.SchedulerDetails;
import dev.stepwise.scheduler.SchedulerListQuery;
import dev.stepwise.scheduler.SchedulerNotFoundException;
import dev.stepwise.scheduler.SchedulerPage;
import dev.stepwise.scheduler.SchedulerPosition;
import dev.stepwise.scheduler.SchedulerSummary;
import dev.stepwise.scheduler.StaleAttemptException;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Component;

/**
 * The schedulers as stored, in the caller's transaction: finds and locks them, compiles
 * their schedule, makes a state current, appends it to the history, reads and cuts the
 * history. Hands out the service's records, never an entity.
 */
@Component
public class SchedulerStore {

	private final SchedulerRepository schedulers;

	private final SchedulerStepRepository steps;

	private final SchedulerAttemptRepository attempts;

	private final SchedulerRows rows;

	private final SchedulerListRows listRows;

	private final HistoryRows historyRows;

	private final HistoryTiles tiles;

	private final RestoreRows restores;

	private final SchedulerCache cache;

	private final JsonCodec json;

	private final AmendmentRows amendments;

	/**
	 * Downsampled histories by the scheduler's version: a finished job's chart is read
	 * again and again, and each reading scans its whole history.
	 */
	private final Cache<DownsampledKey, DownsampledHistory> downsampled = Caffeine.newBuilder()
		.maximumWeight(DOWNSAMPLED_CACHE_CHARACTERS)
		.<DownsampledKey, DownsampledHistory>weigher((key,
				history) -> history.items().stream().mapToInt((item) -> item.paramGroupsJson().length() + 100).sum())
		.build();

	/** Characters the cache of downsampled histories holds, about twice as many bytes. */
	static final long DOWNSAMPLED_CACHE_CHARACTERS = 4L << 20;

	SchedulerStore(SchedulerRepository schedulers, SchedulerStepRepository steps, SchedulerAttemptRepository attempts,
			SchedulerRows rows, SchedulerListRows listRows, HistoryRows historyRows, HistoryTiles tiles,
			RestoreRows restores, SchedulerCache cache, JsonCodec json, AmendmentRows amendments) {
		this.schedulers = schedulers;
		this.steps = steps;
		this.attempts = attempts;
		this.rows = rows;
		this.listRows = listRows;
		this.historyRows = historyRows;
		this.tiles = tiles;
		this.restores = restores;
		this.cache = cache;
		this.json = json;
		this.amendments = amendments;
	}

	/** The registration stored as {@code id}, if any. */
	public Optional<StoredRegistration> findRegistration(String id) {
		return this.schedulers.findByPublicId(id)
			.map((scheduler) -> new StoredRegistration(details(scheduler), scheduler.getRequestJson()));
	}

	/** The scheduler registered as {@code id}. */
	public SchedulerDetails details(String id) {
		return details(find(id));
	}

	/** How many schedulers are registered (one count of the table). */
	public long count() {
		return this.schedulers.count();
	}

	/**
	 * A page of the schedulers whose id is like {@code scopeLike} (a SQL {@code LIKE}
	 * pattern escaped with {@code \}) and the query's filter, in its order, each with its
	 * summary.
	 */
	public SchedulerPage list(String scopeLike, SchedulerListQuery query) {
		List<SchedulerPage.Listed> items = this.listRows.page(scopeLike, query)
			.stream()
			.map((row) -> new SchedulerPage.Listed(row.details(), summary(row)))
			.toList();
		long total = this.listRows.count(scopeLike, query);
		int pages = (int) Math.min(Integer.MAX_VALUE, (total + query.size() - 1) / query.size());
		return new SchedulerPage(items, query.page(), query.size(), total, pages);
	}

	private SchedulerSummary summary(SchedulerListRows.Row row) {
		List<Double> lrs = this.json.readParamGroups(row.details().position().paramGroupsJson())
			.stream()
			.map(ParamGroup::lr)
			.toList();
		OptionalLong length = SchedulerCatalogue.length(this.json.readDocument(row.details().specJson()));
		return new SchedulerSummary(lrs, row.lastMetric(), length.isPresent() ? length.getAsLong() : null);
	}

	/**
	 * The current position of a scheduler with its row's revision (one narrow query, no
	 * state parsing).
	 */
	public CurrentPosition current(String id) {
		return this.rows.current(id).orElseThrow(() -> new SchedulerNotFoundException(id));
	}

	/** The scheduler's state document. */
	public String stateDocument(String id) {
		return find(id).getStateJson();
	}

	/** The scheduler, its row locked until the transaction ends. */
	public Locked lock(String id) {
		return lockIfPresent(id).orElseThrow(() -> new SchedulerNotFoundException(id));
	}

	/** The scheduler if it is registered, its row locked until the transaction ends. */
	public Optional<Locked> lockIfPresent(String id) {
		return this.schedulers.lockByPublicId(id).map(Locked::new);
	}

	/** The training attempts the scheduler adopted, in the order of their adoption. */
	public List<AttemptRecord> attempts(String id) {
		SchedulerEntity scheduler = find(id);
		return this.attempts.findBySchedulerIdOrderByIdAsc(scheduler.getId())
			.stream()
			.map((attempt) -> attempt.record(scheduler.getAttempt()))
			.toList();
	}

	/** The scheduler's latest {@code most} resumes and state PUTs, oldest first. */
	public List<RestoreRecord> restores(String id, int most) {
		return this.restores.latest(find(id).getId(), most);
	}

	/**
	 * The records of a scheduler from {@code fromEpoch} to {@code toEpoch}, at most
	 * {@code limit}.
	 */
	public HistoryPage history(String id, double fromEpoch, double toEpoch, int limit) {
		long pk = find(id).getId();
		var records = this.steps.findRows(pk, fromEpoch, toEpoch, Limit.of(limit + 1));
		if (records.size() <= limit) {
			return new HistoryPage(records, null);
		}
		return new HistoryPage(records.subList(0, limit), records.get(limit).position());
	}

	/**
	 * The records of a scheduler from {@code fromEpoch} to {@code toEpoch}: all of them
	 * when there are at most {@code points}, else the {@link M4Selection} of at most
	 * {@code points}, read in a stream of pages (memory bounded by the points and a page,
	 * not by the history).
	 */
	public DownsampledHistory downsampledHistory(String id, double fromEpoch, double toEpoch, int points) {
		SchedulerEntity scheduler = find(id);
		// every change of the history changes the row's version
		DownsampledKey key = new DownsampledKey(scheduler.getId(), scheduler.getVersion(), fromEpoch, toEpoch, points);
		DownsampledHistory cached = this.downsampled.getIfPresent(key);
		if (cached != null) {
			return cached;
		}
		DownsampledHistory history = downsample(scheduler, fromEpoch, toEpoch, points);
		if (history.downsampled()) {
			this.downsampled.put(key, history);
		}
		return history;
	}

	private DownsampledHistory downsample(SchedulerEntity scheduler, double fromEpoch, double toEpoch, int points) {
		long pk = scheduler.getId();
		Double first = this.historyRows.positionAfter(pk, fromEpoch, toEpoch, 0);
		Double last = this.historyRows.lastPosition(pk, fromEpoch, toEpoch);
		if (first == null || last == null || this.historyRows.positionAfter(pk, first, last, points) == null) {
			// at most the points: every record whole
			List<HistoryEntry> all = this.steps.findRows(pk, fromEpoch, toEpoch, Limit.of(points));
			return new DownsampledHistory(all, all.size(), false);
		}
		int groups = scheduler.getParamGroupsJson().length();
		long tiles = HistoryTiles.tileOf(last) - HistoryTiles.tileOf(first) + 1;
		int buckets = points / M4Selection.PER_BUCKET;
		M4Selection<HistoryTiles.Point> selection;
		long total;
		if (buckets > 0 && tiles >= 2L * buckets) {
			// buckets of whole tiles: the tiles' summaries stand in for their records
			long perBucket = (tiles + buckets - 1) / buckets;
			selection = M4Selection.aligned(HistoryTiles.tileOf(first) * (double) HistoryTiles.TILE,
					perBucket * (double) HistoryTiles.TILE, (int) ((tiles + perBucket - 1) / perBucket));
			total = this.tiles.scan(pk, first, last, groups,
					(point) -> selection.add(point.position(), point.lr(), point.metric(), point));
		}
		else {
			// the scan reads three columns of every record (and counts them)
			selection = new M4Selection<>(first, last, points);
			total = this.historyRows.scan(pk, first, last, groups, (position, lr, metric) -> selection.add(position, lr,
					metric, new HistoryTiles.Point(position, lr, metric)));
		}
		return new DownsampledHistory(whole(pk, selection.selected()), total, true);
	}

	/**
	 * The chosen records whole: as the tiles or the scan handed them on, else read one by
	 * one (a record a cut deleted meanwhile is left out).
	 */
	private List<HistoryEntry> whole(long pk, List<HistoryTiles.Point> chosen) {
		List<Double> missing = chosen.stream()
			.filter((point) -> point.entry() == null)
			.map(HistoryTiles.Point::position)
			.toList();
		Map<Double, HistoryEntry> found = new HashMap<>();
		this.historyRows.records(pk, missing).forEach((entry) -> found.put(entry.position(), entry));
		List<HistoryEntry> records = new ArrayList<>(chosen.size());
		for (HistoryTiles.Point point : chosen) {
			HistoryEntry entry = (point.entry() != null) ? point.entry() : found.get(point.position());
			if (entry != null) {
				records.add(entry);
			}
		}
		return records;
	}

	/**
	 * The scheduler's type, spec and state with the first lr and metric of its first
	 * {@code most} records, scanned a page at a time (the records are not held whole).
	 */
	public LossRecords lossRecords(String id, int most) {
		SchedulerEntity scheduler = find(id);
		double[] lrs = new double[most];
		Double[] metrics = new Double[most];
		int[] read = new int[1];
		long scanned = this.historyRows.scan(scheduler.getId(), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
				scheduler.getParamGroupsJson().length(), most + 1L, (position, lr, metric) -> {
					if (read[0] < most) {
						lrs[read[0]] = lr;
						metrics[read[0]] = metric;
						read[0]++;
					}
				});
		return new LossRecords(scheduler.getType(), this.json.readDocument(scheduler.getSpecJson()),
				this.json.readDocument(scheduler.getStateJson()), Arrays.copyOf(lrs, read[0]),
				Arrays.copyOf(metrics, read[0]), scanned > most);
	}

	/**
	 * The amendments of the scheduler registered as {@code id} (at most
	 * {@link Limits#MAX_AMENDMENTS}), in the order they were posted, and the normalised
	 * spec in force.
	 */
	public Amendments amendments(String id) {
		SchedulerEntity scheduler = find(id);
		Long amendment = scheduler.getAmendment();
		List<AmendmentRecord> records = this.amendments.list(scheduler.getId(), Limits.MAX_AMENDMENTS);
		String inForce = (amendment != null) ? this.json.write(scheduleOf(scheduler, amendment).normalizedSpec())
				: scheduler.getSpecJson();
		return new Amendments(inForce, records);
	}

	private Schedule scheduleOf(SchedulerEntity entity, @Nullable Long amendment) {
		return this.cache.schedule(entity.getId(), entity.getCreatedAt(), (amendment != null) ? amendment : 0,
				() -> new SchedulerCache.Source(entity.getRequestJson(), entity.getInitialParamGroupsJson(),
						(amendment != null) ? this.amendments.source(amendment) : null));
	}

	/**
	 * In a batch of steps, under the row lock: applies the scheduler's pending amendment
	 * to the state its step reached, the amendment's epoch. When the engine refuses it,
	 * it is recorded as failed and the run goes on with the schedule in force.
	 * @return the schedule in force from that epoch and its state there
	 */
	public Applied applyPending(long pk, Instant createdAt, Schedule inForce, ScheduleState reached,
			@Nullable Long amendmentInForce, Instant now) {
		Optional<AmendmentRows.Row> pending = this.amendments.pending(pk);
		if (pending.isEmpty()) {
			this.amendments.inForce(pk, amendmentInForce, null);
			return new Applied(inForce, reached, amendmentInForce);
		}
		AmendmentRows.Row row = pending.get();
		AmendmentCommand command = AmendmentCommand.of(this.json.readDocument(row.record().requestJson()));
		List<ParamGroup> registered = this.json.readParamGroups(this.amendments.registeredGroups(pk));
		ScheduleAmendment.Amended amended;
		try {
			amended = ScheduleAmendment.amend(inForce, reached, command.change(), command.continuous(), registered);
		}
		catch (InvalidScheduleException | StepException | ArithmeticException ex) {
			this.amendments.failed(row.pk(), String.valueOf(ex.getMessage()), now);
			this.amendments.inForce(pk, amendmentInForce, null);
			return new Applied(inForce, reached, amendmentInForce);
		}
		recordApplied(pk, createdAt, row.pk(), amended, now);
		this.amendments.inForce(pk, row.pk(), null);
		return new Applied(amended.schedule(), amended.state(), row.pk());
	}

	/**
	 * In a batch of steps: a training attempt started by a step from the schedule's start
	 * cut the history after {@code epoch}, and undoes the amendments applied after it.
	 */
	public void undoAmendmentsAfter(long pk, long epoch, Instant now) {
		this.amendments.undoAfter(pk, epoch, now);
	}

	private void recordApplied(long pk, Instant createdAt, long amendmentPk, ScheduleAmendment.Amended amended,
			Instant now) {
		String source = this.json.write(amended.source());
		this.amendments.applied(amendmentPk, source, this.json.write(amended.schedule().normalizedSpec()),
				this.json.write(ScheduleAmendment.lrs(amended.state())), now);
		this.cache.putSchedule(pk, createdAt, amendmentPk, amended.schedule(), source.length());
	}

	/** A state read back from its state document. */
	public ScheduleState state(Schedule schedule, String stateJson) {
		return schedule.fromStateDict(this.json.readDocument(stateJson));
	}

	/** What a registration stores besides its state. */
	public Registered registered(Schedule schedule, Registration registration, long lastEpoch) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("param_groups", registration.paramGroups());
		body.put("scheduler", registration.scheduler());
		body.put("last_epoch", lastEpoch);
		return new Registered(schedule.type(), this.json.write(schedule.normalizedSpec()), this.json.canonical(body),
				this.json.write(registration.paramGroups()));
	}

	/** Stores a new registration with its state as the first history record. */
	public SchedulerDetails create(String id, Registered registered, Schedule schedule, ScheduleState state) {
		return create(id, registered, schedule, state, null);
	}

	/**
	 * Stores a new registration with its state as the first history record, and adopts
	 * {@code attempt} (not started yet) when there is one.
	 */
	public SchedulerDetails create(String id, Registered registered, Schedule schedule, ScheduleState state,
			@Nullable String attempt) {
		Snapshot snapshot = snapshot(schedule, state, state.lastEpoch());
		SchedulerEntity scheduler = this.schedulers.save(new SchedulerEntity(id, registered, snapshot, now(), attempt));
		append(scheduler.getId(), snapshot, null, scheduler.getCreatedAt(), attempt);
		if (attempt != null) {
			this.attempts.save(new SchedulerAttemptEntity(scheduler.getId(), attempt, scheduler.getCreatedAt()));
		}
		this.cache.putSchedule(scheduler, schedule);
		return details(scheduler);
	}

	/** The documents to store for a state reached at {@code position}. */
	public Snapshot snapshot(Schedule schedule, ScheduleState state, double position) {
		return new Snapshot(state.lastEpoch(), position, this.json.write(schedule.stateDict(state)),
				this.json.write(state.paramGroups()), schedule.unit().counted() ? state.consumed() : null);
	}

	private SchedulerEntity find(String id) {
		return this.schedulers.findByPublicId(id).orElseThrow(() -> new SchedulerNotFoundException(id));
	}

	private void append(long schedulerId, Snapshot snapshot, @Nullable Double metric, Instant recordedAt,
			@Nullable String attempt) {
		this.steps.save(new SchedulerStepEntity(schedulerId, snapshot, metric, recordedAt, attempt));
	}

	private static SchedulerDetails details(SchedulerEntity entity) {
		return details(entity, position(entity));
	}

	private static SchedulerDetails details(SchedulerEntity entity, SchedulerPosition position) {
		return new SchedulerDetails(position, entity.getSpecJson(), entity.getInitialParamGroupsJson(),
				entity.getCreatedAt(), entity.getUpdatedAt(), entity.getAttempt(), entity.isAttemptStarted());
	}

	private static SchedulerPosition position(SchedulerEntity entity) {
		return new SchedulerPosition(entity.getPublicId(), entity.getLastEpoch(), entity.getParamGroupsJson(),
				entity.getConsumed());
	}

	/** The current time at the precision both databases store. */
	public static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

	/**
	 * The schedule in force after a step reached a pending amendment's epoch.
	 *
	 * @param schedule the schedule in force from there
	 * @param state its state at that epoch
	 * @param amendment the amendment in force, or {@code null}
	 */
	public record Applied(Schedule schedule, ScheduleState state, @Nullable Long amendment) {
	}

	/** What a downsampled history depends on. */
	private record DownsampledKey(long pk, long version, double from, double to, int points) {
	}

	/**
	 * A registration as stored.
	 *
	 * @param details the scheduler
	 * @param requestJson the canonical registration body, compared on re-registration
	 */
	public record StoredRegistration(SchedulerDetails details, String requestJson) {
	}

	/**
	 * A scheduler whose row this transaction has locked: what may change it.
	 */
	public final class Locked {

		private final SchedulerEntity scheduler;

		private Locked(SchedulerEntity scheduler) {
			this.scheduler = scheduler;
		}

		/** Its {@code last_epoch}. */
		public long lastEpoch() {
			return this.scheduler.getLastEpoch();
		}

		/** Its canonical registration body, compared on re-registration. */
		public String requestJson() {
			return this.scheduler.getRequestJson();
		}

		/**
		 * Whether its current attempt has started; {@code true} when it has no attempt.
		 * Until it does, the scheduler stands at the schedule's start and the history of
		 * the superseded attempts is kept after it.
		 */
		public boolean attemptStarted() {
			return this.scheduler.isAttemptStarted();
		}

		/**
		 * Refuses a request of another attempt than the current one.
		 * @throws StaleAttemptException unless {@code attempt} is {@code null} or the
		 * current attempt
		 */
		public void checkAttempt(@Nullable String attempt) {
			StaleAttemptException.check(attempt, this.scheduler.getAttempt());
		}

		/**
		 * Adopts {@code attempt}, superseding the current one, and moves the scheduler to
		 * {@code start} (the schedule's start) without cutting the history: the attempt
		 * starts with its first step (which cuts it), resume or state document. Nothing
		 * changes when it is the current attempt already.
		 * @throws StaleAttemptException when the scheduler adopted {@code attempt} before
		 * and it was superseded since
		 */
		public void adopt(String attempt, Snapshot start) {
			String current = this.scheduler.getAttempt();
			if (attempt.equals(current)) {
				return;
			}
			long pk = this.scheduler.getId();
			if (SchedulerStore.this.attempts.findBySchedulerIdAndAttempt(pk, attempt).isPresent()) {
				throw new StaleAttemptException(attempt, current);
			}
			Instant now = now();
			if (current != null) {
				SchedulerStore.this.attempts.findBySchedulerIdAndAttempt(pk, current)
					.ifPresent((superseded) -> superseded.supersede(now));
			}
			SchedulerStore.this.attempts.save(new SchedulerAttemptEntity(pk, attempt, now));
			this.scheduler.adopt(attempt, start, now);
			// the start is the registered schedule's; the attempt's first step or restore
			// undoes the amendments after where it starts
			this.scheduler.setAmendment(null);
		}

		/**
		 * The epoch the current attempt's last resume or state document restored, if
		 * {@code attempt} is the current attempt and it restored one.
		 */
		public Optional<Long> restoredBy(@Nullable String attempt) {
			if (attempt == null || !attempt.equals(this.scheduler.getAttempt())) {
				return Optional.empty();
			}
			return SchedulerStore.this.attempts.findBySchedulerIdAndAttempt(this.scheduler.getId(), attempt)
				.map(SchedulerAttemptEntity::getRestoredEpoch);
		}

		/**
		 * Notes a restore (resume or state document) to {@code epoch}: it starts the
		 * current attempt if it had not started, and is the epoch the attempt last
		 * restored when the request came from it.
		 */
		public void restored(String by, long epoch, @Nullable String attempt) {
			String current = this.scheduler.getAttempt();
			if (current == null || (this.scheduler.isAttemptStarted() && !current.equals(attempt))) {
				return;
			}
			SchedulerStore.this.attempts.findBySchedulerIdAndAttempt(this.scheduler.getId(), current)
				.ifPresent((entity) -> {
					if (!this.scheduler.isAttemptStarted()) {
						entity.start(by, epoch, now());
					}
					if (current.equals(attempt)) {
						entity.restored(epoch);
					}
				});
			this.scheduler.startAttempt();
		}

		/** The scheduler with {@code position} as its state (the view of an attempt). */
		public SchedulerDetails detailsAt(Snapshot snapshot) {
			return details(this.scheduler, positionOf(snapshot));
		}

		/** A recorded state as a position of this scheduler. */
		public SchedulerPosition positionOf(Snapshot snapshot) {
			return new SchedulerPosition(this.scheduler.getPublicId(), snapshot.lastEpoch(), snapshot.paramGroupsJson(),
					snapshot.consumed());
		}

		/** Its compiled schedule: the one in force. */
		public Schedule schedule() {
			return scheduleOf(this.scheduler, this.scheduler.getAmendment());
		}

		/**
		 * The schedule in force at {@code epoch}: that of the last amendment applied at
		 * or before it, else the registered one.
		 */
		public Schedule scheduleAt(long epoch) {
			return scheduleOf(this.scheduler, SchedulerStore.this.amendments.inForceAt(this.scheduler.getId(), epoch));
		}

		/** Its current state, in the schedule in force. */
		public ScheduleState state() {
			Schedule schedule = schedule();
			return SchedulerStore.this.cache.state(this.scheduler.getId(), this.scheduler.getStateJson(),
					() -> SchedulerStore.this.state(schedule, this.scheduler.getStateJson()));
		}

		/**
		 * The epoch last stepped to ({@code lastEpoch}, or more after a fractional step).
		 */
		public double stepPosition() {
			return this.scheduler.getPosition();
		}

		/** The epoch of the pending amendment, if one is. */
		public Optional<Long> pendingEpoch() {
			return Optional.ofNullable(this.scheduler.getPendingEpoch());
		}

		/** Its amendment {@code amendmentId}, if posted. */
		public Optional<AmendmentRows.Row> amendment(String amendmentId) {
			return SchedulerStore.this.amendments.find(this.scheduler.getId(), amendmentId);
		}

		/** How many amendments it has. */
		public long amendmentCount() {
			return SchedulerStore.this.amendments.count(this.scheduler.getId());
		}

		/** The param groups as registered. */
		public List<ParamGroup> registeredGroups() {
			return SchedulerStore.this.json.readParamGroups(this.scheduler.getInitialParamGroupsJson());
		}

		/** The canonical JSON of an amendment's request, as stored. */
		public String canonical(AmendmentCommand command) {
			return SchedulerStore.this.json.canonical(command.document());
		}

		/**
		 * Records an amendment (anew when {@code again} is the row of an undone one) as
		 * pending at {@code atEpoch}.
		 * @return its key
		 */
		public long pend(AmendmentCommand command, long atEpoch, AmendmentRows.@Nullable Row again) {
			String request = canonical(command);
			long pk;
			if (again != null) {
				SchedulerStore.this.amendments.reopen(again.pk(), atEpoch, request, now());
				pk = again.pk();
			}
			else {
				pk = SchedulerStore.this.amendments.insert(this.scheduler.getId(), command.amendmentId(), atEpoch,
						request, now());
			}
			this.scheduler.setPendingEpoch(atEpoch);
			return pk;
		}

		/**
		 * Puts the amended schedule in force now, at the current epoch: the state and the
		 * history record of this epoch become the amended state.
		 */
		public void applyNow(long amendmentPk, ScheduleAmendment.Amended amended) {
			Instant now = now();
			long pk = this.scheduler.getId();
			recordApplied(pk, this.scheduler.getCreatedAt(), amendmentPk, amended, now);
			Snapshot snapshot = snapshot(amended.schedule(), amended.state(), this.scheduler.getPosition());
			SchedulerStore.this.amendments.rewriteRecord(pk, snapshot);
			this.scheduler.moveTo(snapshot, now);
			this.scheduler.setAmendment(amendmentPk);
			this.scheduler.setPendingEpoch(null);
		}

		/** Where it stands now. */
		public SchedulerDetails view() {
			return SchedulerStore.details(this.scheduler);
		}

		/**
		 * A restore to {@code epoch} undoes the amendments applied after it; the schedule
		 * in force is the last applied at or before it.
		 */
		private void undoAmendmentsAfter(long epoch, Instant now) {
			long pk = this.scheduler.getId();
			SchedulerStore.this.amendments.undoAfter(pk, epoch, now);
			this.scheduler.setAmendment(SchedulerStore.this.amendments.inForceAt(pk, epoch));
		}

		/**
		 * The last record of epoch {@code lastEpoch} (its end, when fractional epochs
		 * were stepped to).
		 */
		public Optional<Snapshot> endOfEpoch(long lastEpoch) {
			return SchedulerStore.this.steps.findEndOfEpoch(this.scheduler.getId(), lastEpoch)
				.map(SchedulerStepEntity::snapshot);
		}

		/**
		 * Returns to a recorded state and discards the history after it (a resume by
		 * {@code attempt}, recorded as such).
		 */
		public SchedulerPosition returnTo(Snapshot snapshot, @Nullable String attempt) {
			Instant now = now();
			recordRestore(AttemptRecord.BY_RESUME, snapshot.lastEpoch(), attempt, now);
			SchedulerStore.this.steps.deleteAfter(this.scheduler.getId(), snapshot.position());
			SchedulerStore.this.tiles.cut(this.scheduler.getId(), snapshot.position());
			undoAmendmentsAfter(snapshot.lastEpoch(), now);
			this.scheduler.moveTo(snapshot, now);
			return position(this.scheduler);
		}

		/** Notes a restore, with where the history it cuts ends now. */
		private void recordRestore(String by, long epoch, @Nullable String attempt, Instant at) {
			long pk = this.scheduler.getId();
			SchedulerStore.this.restores.insert(pk, by, epoch, SchedulerStore.this.steps.lastPosition(pk), attempt, at);
		}

		/**
		 * Makes {@code snapshot} the state, recorded without a metric (as taken by
		 * {@code attempt}), in place of the history from its epoch on.
		 */
		public SchedulerPosition replaceWith(Snapshot snapshot, @Nullable String attempt) {
			Instant now = now();
			recordRestore(AttemptRecord.BY_STATE, snapshot.lastEpoch(), attempt, now);
			SchedulerStore.this.steps.deleteFrom(this.scheduler.getId(), snapshot.lastEpoch());
			SchedulerStore.this.tiles.cut(this.scheduler.getId(), snapshot.lastEpoch());
			undoAmendmentsAfter(snapshot.lastEpoch(), now);
			this.scheduler.moveTo(snapshot, now);
			append(this.scheduler.getId(), snapshot, null, now, attempt);
			return position(this.scheduler);
		}

		/**
		 * Deletes the scheduler and its history (there is no cascade: the history goes
		 * first).
		 */
		public void delete() {
			SchedulerStore.this.steps.deleteHistory(this.scheduler.getId());
			SchedulerStore.this.tiles.cut(this.scheduler.getId(), Double.NEGATIVE_INFINITY);
			SchedulerStore.this.attempts.deleteAttempts(this.scheduler.getId());
			SchedulerStore.this.restores.delete(this.scheduler.getId());
			SchedulerStore.this.amendments.delete(this.scheduler.getId());
			SchedulerStore.this.schedulers.deleteByPublicId(this.scheduler.getPublicId());
		}

	}

}
