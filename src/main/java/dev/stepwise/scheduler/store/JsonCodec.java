package dev.stepwise.scheduler.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stepwise.schedule.JsonValues;
import dev.stepwise.schedule.ParamGroup;
import dev.stepwise.schedule.ScheduleAmendment;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Writes and reads the JSON documents stored with a scheduler. Non-finite numbers are
 * written as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 */
@Component
class JsonCodec {

	private static final TypeReference<List<ParamGroup>> PARAM_GROUPS = new TypeReference<>() {
	};

	private final JsonMapper mapper;

	private final JsonMapper canonicalMapper;

	JsonCodec(JsonMapper mapper) {
		this.mapper = mapper;
		this.canonicalMapper = mapper.rebuild().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
	}

	String write(Object value) {
		return this.mapper.writeValueAsString(value);
	}

	/**
	 * JSON with the keys of every object sorted, so that equal documents give equal
	 * strings.
	 */
	String canonical(Object value) {
		return this.canonicalMapper.writeValueAsString(value);
	}

	/** A stored document in the engine's plain-Java form. */
	Map<String, Object> readDocument(String json) {
		return JsonValues.object(this.mapper.readValue(json, Map.class), "", false);
	}

	List<ParamGroup> readParamGroups(String json) {
		return this.mapper.readValue(json, PARAM_GROUPS);
	}

	/** What an amendment's schedule is built from, as stored. */
	String write(ScheduleAmendment.Source source) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("scheduler", source.scheduler());
		document.put("param_groups", source.paramGroups());
		document.put("origin", source.origin());
		document.put("lr_scale", source.lrScale());
		return write(document);
	}

	/** Reads what {@link #write(ScheduleAmendment.Source)} wrote. */
	ScheduleAmendment.Source amendmentSource(String json) {
		Map<String, Object> document = readDocument(json);
		@SuppressWarnings("unchecked")
		Map<String, Object> scheduler = (Map<String, Object>) document.get("scheduler");
		List<ParamGroup> groups = readParamGroups(write(document.get("param_groups")));
		double[] scale = null;
		if (document.get("lr_scale") instanceof List<?> factors) {
			scale = factors.stream().mapToDouble((factor) -> ((Number) factor).doubleValue()).toArray();
		}
		return new ScheduleAmendment.Source(scheduler, groups, ((Number) document.get("origin")).longValue(), scale);
	}

}
