package dev.stepwise.scheduler.store;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stepwise.schedule.ParamGroup;
import dev.stepwise.system.SystemConfiguration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON documents stored with a scheduler, written and read with the application's
 * JSON mapper.
 */
@JsonTest
@Import(SystemConfiguration.class)
class JsonCodecTests {

	@Autowired
	private JsonMapper jsonMapper;

	@Test
	void stateDocumentsWriteNonFiniteNumbersAsStringsAndReadBackInEngineForm() {
		JsonCodec codec = new JsonCodec(this.jsonMapper);
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("last_epoch", 12L);
		state.put("best", Double.POSITIVE_INFINITY);
		state.put("T_cur", 1.0);
		state.put("_last_lr", Arrays.asList(0.5, Double.NaN));
		String json = codec.write(state);
		assertThat(json)
			.isEqualTo("{\"last_epoch\":12,\"best\":\"Infinity\",\"T_cur\":1.0,\"_last_lr\":[0.5,\"NaN\"]}");
		Map<String, Object> read = codec.readDocument(json);
		assertThat(read.get("last_epoch")).isInstanceOf(Long.class);
		assertThat(read.get("T_cur")).isInstanceOf(Double.class);
		assertThat(read).containsEntry("best", "Infinity").containsEntry("_last_lr", List.of(0.5, "NaN"));
		assertThat(codec.readDocument("{\"best\": -Infinity}")).containsEntry("best", Double.NEGATIVE_INFINITY);
	}

	@Test
	void canonicalJsonSortsKeysAtEveryLevel() {
		JsonCodec codec = new JsonCodec(this.jsonMapper);
		Map<String, Object> inner = new LinkedHashMap<>();
		inner.put("z", 1L);
		inner.put("a", 1.0);
		Map<String, Object> outer = new LinkedHashMap<>();
		outer.put("scheduler", inner);
		outer.put("last_epoch", 0L);
		assertThat(codec.canonical(outer)).isEqualTo("{\"last_epoch\":0,\"scheduler\":{\"a\":1.0,\"z\":1}}");
	}

	@Test
	void paramGroupsRoundTrip() {
		JsonCodec codec = new JsonCodec(this.jsonMapper);
		List<ParamGroup> groups = List.of(new ParamGroup(0.1, 0.9), new ParamGroup(1e-5, null));
		String json = codec.write(groups);
		assertThat(json).isEqualTo("[{\"lr\":0.1,\"momentum\":0.9},{\"lr\":1.0E-5,\"momentum\":null}]");
		assertThat(codec.readParamGroups(json)).isEqualTo(groups);
	}

}
