package dev.stepwise.scheduler;

import dev.stepwise.schedule.Schedule;

/**
 * Every limit of the API, in one place: the web layer's validation, the OpenAPI
 * description and the services read them from here. The limits the engine enforces itself
 * are its own constants.
 */
public final class Limits {

	/** Param groups of one registration or preview. */
	public static final int MAX_PARAM_GROUPS = Schedule.MAX_GROUPS;

	/** Steps a registration may fast-forward ({@code last_epoch}). */
	public static final long MAX_FAST_FORWARD = Schedule.MAX_FAST_FORWARD;

	/** Entries of a list argument such as {@code milestones}. */
	public static final int MAX_LIST_ENTRIES = Schedule.MAX_LIST_ENTRIES;

	/** Children of one SequentialLR or ChainedScheduler. */
	public static final int MAX_CHILDREN = Schedule.MAX_CHILDREN;

	/**
	 * Work units one registration or preview may cost: (param groups + 8) x (fast-forward
	 * + (steps + 1) x (scheduler weight + 5 x scheduler objects)), computed before any of
	 * the work.
	 */
	public static final long MAX_WORK = Schedule.MAX_WORK;

	/** Characters of the lr_lambda expressions of one scheduler, nested ones included. */
	public static final int MAX_EXPRESSION_CHARACTERS = Schedule.MAX_EXPRESSION_CHARACTERS;

	/** Scheduler objects (nested ones included) x param groups: the size of a state. */
	public static final int MAX_STATE_SIZE = Schedule.MAX_STATE_SIZE;

	/**
	 * Steps of one step request ({@code count}): gradient accumulation or Accelerate's
	 * {@code num_processes} steps per optimizer step in one request.
	 */
	public static final int MAX_STEP_COUNT = 1000;

	/**
	 * Values one step request records: {@code count} x the state's size (scheduler
	 * objects x param groups); every step's state is held and written as one history
	 * record of about 25 bytes a value, so at most about 1.6 MB of them.
	 */
	public static final long MAX_STEP_VALUES = 65_536;

	/** Steps of one preview. */
	public static final int MAX_PREVIEW_STEPS = 100_000;

	/**
	 * Values of one preview: (steps + 1) x param groups; 2^18, two groups of the most
	 * steps. Writing the states costs about 220 bytes allocated per value: at 2,000,000 a
	 * preview took 3.6 s and 448 MB (bench/limits.sh), against the goal of 1 s and 64 MB.
	 */
	public static final long MAX_PREVIEW_VALUES = 262_144;

	/** Schedulers in one page of the list. */
	public static final int MAX_PAGE_SIZE = 500;

	/** Records in one slice of a history. */
	public static final int MAX_HISTORY_LIMIT = 10_000;

	/**
	 * Records of one downsampled history ({@code points}): about ten per pixel column of
	 * a wide chart.
	 */
	public static final int MAX_HISTORY_POINTS = 10_000;

	/**
	 * Steps the lr finder analyses: a history's first this many (a longer one is analysed
	 * on them, and says so). fastai's valley is quadratic in them: 10,000 take about 0.1
	 * s.
	 */
	public static final int MAX_LR_FINDER_POINTS = 10_000;

	/** Characters of the {@code id_contains} filter of the list: an id's length. */
	public static final int MAX_ID_FILTER = 128;

	/** Resumes and state PUTs listed with the attempts: the latest this many. */
	public static final int MAX_RESTORES_LISTED = 1000;

	/**
	 * The most amendments of one scheduler (each is a row and, once applied, a compiled
	 * schedule); undone ones count until they are posted again.
	 */
	public static final int MAX_AMENDMENTS = 1000;

	/** The largest epoch a step may name: 2^53, beyond which doubles skip integers. */
	public static final String MAX_EPOCH = "" + Schedule.MAX_EPOCH;

	/** The pattern of scheduler ids. */
	public static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

	/**
	 * The pattern of training attempt ids: printable ASCII without spaces, e.g.
	 * {@code job-7/1} (torchrun's run id and restart count).
	 */
	public static final String ATTEMPT_PATTERN = "[!-~]{1,200}";

	private Limits() {
	}

}
