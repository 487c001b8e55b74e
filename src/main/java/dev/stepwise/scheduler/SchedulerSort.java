package dev.stepwise.scheduler;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What the list of schedulers can be sorted by, with each order's default direction.
 */
public enum SchedulerSort {

	/** Registration time, newest first by default (the list's order before sorting). */
	CREATED_AT("created_at", false),

	/** The id, A to Z by default. */
	ID("id", true),

	/** The time of the last change of the state, latest first by default. */
	UPDATED_AT("updated_at", false),

	/** {@code last_epoch}, furthest first by default. */
	LAST_EPOCH("last_epoch", false);

	private final String parameter;

	private final boolean ascendingByDefault;

	SchedulerSort(String parameter, boolean ascendingByDefault) {
		this.parameter = parameter;
		this.ascendingByDefault = ascendingByDefault;
	}

	/** Its value of the {@code sort} parameter. */
	public String parameter() {
		return this.parameter;
	}

	/** Whether it sorts ascending unless the request says otherwise. */
	public boolean ascendingByDefault() {
		return this.ascendingByDefault;
	}

	/**
	 * The order a {@code sort} parameter names.
	 * @throws InvalidRequestException (400) naming {@code sort} for any other value
	 */
	public static SchedulerSort of(String parameter) {
		return Arrays.stream(values())
			.filter((sort) -> sort.parameter.equals(parameter))
			.findFirst()
			.orElseThrow(() -> InvalidRequestException.malformed("sort", "must be one of " + names()));
	}

	/** The values of the {@code sort} parameter, for messages and documentation. */
	public static String names() {
		return Arrays.stream(values()).map(SchedulerSort::parameter).collect(Collectors.joining(", "));
	}

}
