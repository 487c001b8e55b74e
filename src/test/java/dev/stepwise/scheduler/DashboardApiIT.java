package dev.stepwise.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.stepwise.OnEveryDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import static dev.stepwise.scheduler.ApiCalls.json;
import static dev.stepwise.scheduler.ApiCalls.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the dashboard reads, over a real port on the configured database: a history with a
 * resume and a state PUT in it, downsampled and whole, the restores that mark the cuts,
 * and the list filtered, sorted and summarised.
 * <p>
 * The schedule: a triangular CyclicLR between 0.01 and 0.1 with cycles of 100 steps, so
 * the lr has a peak every 100 epochs; the metric falls as 1 / epoch, with one spike.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@OnEveryDatabase
class DashboardApiIT {

	private static final int SPIKE = 777;

	private final ApiCalls api;

	private final JdbcClient jdbc;

	DashboardApiIT(@Autowired RestTestClient client, @Autowired DataSource dataSource) {
		this.api = new ApiCalls(client);
		this.jdbc = JdbcClient.create(dataSource);
	}

	@Test
	void aLongHistoryWithCutsIsDownsampledKeepingItsShape() {
		String id = registerCyclic("dash", "{\"lr\": 0.01, \"momentum\": 0.9}", "\"step_size_up\": 50");
		stepTo(id, 1, 1200, 1.0);
		// the trainer crashed after 1200 and resumes from its checkpoint of epoch 600
		json(this.api.post("/schedulers/" + id + "/resume", "{\"last_epoch\": 600}"), 200);
		stepTo(id, 601, 1500, 2.0);
		// and restores its own state document (cutting nothing after 1500)
		String state = text(this.api.get("/schedulers/" + id + "/state"));
		json(this.api.put("/schedulers/" + id + "/state", state), 200);

		List<JsonNode> full = fullHistory(id);
		assertThat(full).extracting((item) -> item.path("epoch").asLong()).hasSize(1501).startsWith(0L).endsWith(1500L);

		JsonNode downsampled = json(this.api.get("/schedulers/" + id + "/history?points=120"), 200);
		assertThat(downsampled.path("downsampled").asBoolean()).isTrue();
		assertThat(downsampled.path("total_records").asLong()).isEqualTo(1501);
		assertThat(downsampled.path("next_from_epoch").isNull()).isTrue();
		List<JsonNode> items = list(downsampled.path("items"));
		assertThat(items).hasSizeLessThanOrEqualTo(120).hasSizeGreaterThan(40);
		// real records, in order, the ends and the extremes kept
		assertThat(items).allSatisfy((item) -> assertThat(full).contains(item));
		assertThat(items).extracting((item) -> item.path("epoch").asLong())
			.isSorted()
			.doesNotHaveDuplicates()
			.startsWith(0L)
			.endsWith(1500L)
			.contains((long) SPIKE);
		assertThat(max(items, true)).isEqualTo(max(full, true));
		assertThat(max(items, false)).isEqualTo(max(full, false));

		// a range of at most points records is answered whole
		JsonNode whole = json(this.api.get("/schedulers/" + id + "/history?points=2000"), 200);
		assertThat(whole.path("downsampled").asBoolean()).isFalse();
		assertThat(list(whole.path("items"))).isEqualTo(full);
		JsonNode range = json(this.api.get("/schedulers/" + id + "/history?points=30&from_epoch=100&to_epoch=400"),
				200);
		assertThat(range.path("total_records").asLong()).isEqualTo(301);
		assertThat(list(range.path("items"))).hasSizeLessThanOrEqualTo(30)
			.extracting((item) -> item.path("epoch").asLong())
			.startsWith(100L)
			.endsWith(400L);

		// the restores mark where the history was cut
		JsonNode restores = json(this.api.get("/schedulers/" + id + "/attempts"), 200).path("restores");
		assertThat(list(restores))
			.extracting((restore) -> restore.path("restored_by").asString(),
					(restore) -> restore.path("epoch").asLong(), (restore) -> restore.path("discarded_to").asLong())
			.containsExactly(org.assertj.core.groups.Tuple.tuple("resume", 600L, 1200L),
					org.assertj.core.groups.Tuple.tuple("state", 1500L, 1500L));
	}

	@Test
	void aHistoryOfManyTilesIsDownsampledFromTheirSummariesWhichEveryCutRenews() {
		String id = registerCyclic("tiles", "{\"lr\": 0.01}", "\"step_size_up\": 300, \"cycle_momentum\": false");
		// four tiles of 1,024 epochs: six points are one bucket, whose two inner tiles
		// are
		// summarised by the first read
		stepTo(id, 1, 3100, 1.0);
		assertDownsampledAsTheFullHistory(id);
		// a resume cuts the history inside the first summarised tile; the steps after it
		// post other metrics, with a new spike
		json(this.api.post("/schedulers/" + id + "/resume", "{\"last_epoch\": 1500}"), 200);
		assertThat(fullHistory(id)).hasSize(1501);
		for (int epoch = 1501; epoch <= 3100; epoch++) {
			double metric = (epoch == 2222) ? 80.0 : 3.0 / epoch;
			json(this.api.post("/schedulers/" + id + "/steps",
					"{\"epoch\": " + epoch + ", \"metric\": " + metric + "}"), 200);
		}
		List<JsonNode> items = assertDownsampledAsTheFullHistory(id);
		assertThat(items).extracting((item) -> item.path("epoch").asLong()).contains(2222L);
	}

	@Test
	void wholeTilesAnswerWithTheRecordsTheyHoldWithoutReadingThem() {
		String id = registerCyclic("copies", "{\"lr\": 0.01}", "\"step_size_up\": 300, \"cycle_momentum\": false");
		for (int batch = 0; batch < 9; batch++) {
			json(this.api.post("/schedulers/" + id + "/steps", "{\"count\": 1000}"), 200);
		}
		// nine tiles: twelve points are two buckets of five tiles, whose inner tiles 1 to
		// 7 the first read summarises
		json(this.api.get("/schedulers/" + id + "/history?points=12"), 200);
		List<JsonNode> full = fullHistory(id);
		// the records of the inner tiles are gone from the table, behind the service's
		// back
		int deleted = this.jdbc
			.sql("delete from scheduler_step where scheduler_id = (select id from scheduler where public_id = ?)"
					+ " and position >= 1024 and position < 8192")
			.param(id)
			.update();
		assertThat(deleted).isEqualTo(7 * 1024);
		// one more step: a new version, downsampled anew from the tiles
		json(this.api.post("/schedulers/" + id + "/steps", "{}"), 200);
		JsonNode downsampled = json(this.api.get("/schedulers/" + id + "/history?points=12"), 200);
		assertThat(downsampled.path("total_records").asLong()).isEqualTo(9002);
		List<JsonNode> inner = list(downsampled.path("items")).stream()
			.filter((item) -> item.path("epoch").asLong() >= 1024 && item.path("epoch").asLong() < 8192)
			.toList();
		// as they were, the second bucket's first record (5120) among them
		assertThat(inner).isNotEmpty().allSatisfy((item) -> assertThat(full).contains(item));
		assertThat(inner).extracting((item) -> item.path("epoch").asLong()).contains(5120L);
	}

	/**
	 * Reads the downsampled history twice, the second time after one more step (a new
	 * version, so read from the tiles stored by the first), each like the full history.
	 */
	private List<JsonNode> assertDownsampledAsTheFullHistory(String id) {
		List<JsonNode> items = null;
		for (int read = 0; read < 2; read++) {
			if (read == 1) {
				json(this.api.post("/schedulers/" + id + "/steps", "{\"metric\": 0.001}"), 200);
			}
			List<JsonNode> full = fullHistory(id);
			JsonNode downsampled = json(this.api.get("/schedulers/" + id + "/history?points=6"), 200);
			assertThat(downsampled.path("total_records").asLong()).isEqualTo(full.size());
			items = list(downsampled.path("items"));
			assertThat(items).hasSizeLessThanOrEqualTo(6).allSatisfy((item) -> assertThat(full).contains(item));
			assertThat(max(items, true)).isEqualTo(max(full, true));
			assertThat(max(items, false)).isEqualTo(max(full, false));
		}
		return items;
	}

	@Test
	void theListIsFilteredSortedAndSummarised() {
		String prefix = "dashlist-" + UUID.randomUUID().toString().substring(0, 8);
		json(this.api.post("/schedulers",
				"{\"id\": \"" + prefix + "-cycle\", \"param_groups\": [{\"lr\": 0.1, \"momentum\": 0.9},"
						+ " {\"lr\": 0.01, \"momentum\": 0.9}],"
						+ " \"scheduler\": {\"type\": \"OneCycleLR\", \"max_lr\": [0.1, 0.01], \"epochs\": 4,"
						+ " \"steps_per_epoch\": 25}}"),
				201);
		json(this.api.post("/schedulers", "{\"id\": \"" + prefix + "-step\", \"param_groups\": [{\"lr\": 1.0}],"
				+ " \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2}}"), 201);
		json(this.api.post("/schedulers/" + prefix + "-step/steps", "{\"epoch\": 1, \"metric\": 0.25}"), 200);
		json(this.api.post("/schedulers/" + prefix + "-step/steps", "{\"epoch\": 2, \"metric\": 0.125}"), 200);
		json(this.api.post("/schedulers",
				"{\"id\": \"" + prefix + "-warm\", \"param_groups\": [{\"lr\": 1.0}],"
						+ " \"scheduler\": {\"type\": \"SequentialLR\", \"milestones\": [5], \"schedulers\": ["
						+ "{\"type\": \"LinearLR\", \"start_factor\": 0.1, \"total_iters\": 5},"
						+ " {\"type\": \"CosineAnnealingLR\", \"T_max\": 45}]}}"),
				201);

		JsonNode byId = json(this.api.get("/schedulers?id_contains=" + prefix + "&sort=id"), 200);
		assertThat(byId.path("total_items").asLong()).isEqualTo(3);
		List<JsonNode> items = list(byId.path("items"));
		assertThat(items).extracting((item) -> item.path("id").asString())
			.containsExactly(prefix + "-cycle", prefix + "-step", prefix + "-warm");
		JsonNode cycle = items.get(0).path("summary");
		assertThat(cycle.path("total_steps").asLong()).isEqualTo(100);
		assertThat(cycle.path("lrs")).hasSize(2);
		assertThat(cycle.path("lrs").path(0).asDouble())
			.isEqualTo(items.get(0).path("param_groups").path(0).path("lr").asDouble());
		assertThat(cycle.path("last_metric").isNull()).isTrue();
		JsonNode step = items.get(1).path("summary");
		assertThat(step.path("total_steps").isNull()).isTrue();
		assertThat(step.path("last_metric").asDouble()).isEqualTo(0.125);
		assertThat(step.path("lrs").path(0).asDouble()).isEqualTo(0.1);
		assertThat(items.get(2).path("summary").path("total_steps").asLong()).isEqualTo(50);

		assertThat(ids("/schedulers?id_contains=" + prefix + "&sort=last_epoch")).containsExactly(prefix + "-step",
				prefix + "-warm", prefix + "-cycle");
		assertThat(ids("/schedulers?id_contains=" + prefix + "&sort=updated_at&direction=asc"))
			.containsExactly(prefix + "-cycle", prefix + "-step", prefix + "-warm");
		assertThat(ids("/schedulers?id_contains=" + prefix)).containsExactly(prefix + "-warm", prefix + "-step",
				prefix + "-cycle");
		assertThat(ids("/schedulers?id_contains=" + prefix + "&sort=id&direction=desc&size=2&page=1"))
			.containsExactly(prefix + "-cycle");
		JsonNode types = json(this.api.get("/scheduler-types"), 200);
		assertThat(list(types.path("types"))).hasSizeGreaterThan(20);
	}

	private List<String> ids(String path) {
		return list(json(this.api.get(path), 200).path("items")).stream()
			.map((item) -> item.path("id").asString())
			.toList();
	}

	/** A CyclicLR from 0.01 to 0.1 on one group, with more arguments. */
	private String registerCyclic(String prefix, String group, String arguments) {
		String id = prefix + "-" + UUID.randomUUID();
		json(this.api.post("/schedulers",
				"{\"id\": \"" + id + "\", \"param_groups\": [" + group + "], \"scheduler\": {\"type\": \"CyclicLR\","
						+ " \"base_lr\": 0.01, \"max_lr\": 0.1, " + arguments + "}}"),
				201);
		return id;
	}

	private void stepTo(String id, int from, int to, double scale) {
		for (int epoch = from; epoch <= to; epoch++) {
			double metric = (epoch == SPIKE) ? 50.0 : scale / epoch;
			json(this.api.post("/schedulers/" + id + "/steps",
					"{\"epoch\": " + epoch + ", \"metric\": " + metric + "}"), 200);
		}
	}

	private List<JsonNode> fullHistory(String id) {
		List<JsonNode> all = new ArrayList<>();
		String path = "/schedulers/" + id + "/history?limit=1000";
		while (true) {
			JsonNode page = json(this.api.get(path), 200);
			all.addAll(list(page.path("items")));
			if (page.path("next_from_epoch").isNull()) {
				return all;
			}
			path = "/schedulers/" + id + "/history?limit=1000&from_epoch=" + page.path("next_from_epoch").asLong();
		}
	}

	/** The highest lr (or metric) of the records. */
	private static double max(List<JsonNode> items, boolean lr) {
		return items.stream()
			.mapToDouble((item) -> lr ? item.path("param_groups").path(0).path("lr").asDouble()
					: item.path("metric").asDouble(Double.NEGATIVE_INFINITY))
			.max()
			.orElseThrow();
	}

	private static List<JsonNode> list(JsonNode array) {
		List<JsonNode> items = new ArrayList<>();
		array.forEach(items::add);
		return items;
	}

}
