package dev.stepwise.scheduler.web;

import java.util.List;
import java.util.Map;

import dev.stepwise.schedule.InvalidScheduleException;
import dev.stepwise.schedule.InvalidStateException;
import dev.stepwise.schedule.ParamGroup;
import dev.stepwise.schedule.JsonValues.InvalidValueException;
import dev.stepwise.schedule.JsonValues;

/**
 * Maps the JSON of requests to the engine's plain-Java form: the scheduler spec (JSON
 * integers as {@code Long}, decimals as {@code Double}, finite numbers only), state
 * documents and param groups.
 */
final class SpecJson {

	private SpecJson() {
	}

	static Map<String, Object> scheduler(Map<String, Object> json) {
		try {
			return JsonValues.object(json, "scheduler", true);
		}
		catch (InvalidValueException ex) {
			throw new InvalidScheduleException(InvalidScheduleException.Kind.INVALID, ex.field(), ex.getMessage());
		}
	}

	static Map<String, Object> stateDocument(Map<String, Object> json) {
		try {
			return JsonValues.object(json, "", false);
		}
		catch (InvalidValueException ex) {
			throw new InvalidStateException(ex.field(), ex.getMessage());
		}
	}

	static List<ParamGroup> paramGroups(List<ParamGroupBody> groups) {
		return groups.stream().map(ParamGroupBody::toParamGroup).toList();
	}

}
