package dev.stepwise.scheduler;

import java.util.UUID;

import dev.stepwise.OnEveryDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.client.RestTestClient;

import static dev.stepwise.scheduler.ApiCalls.json;
import static dev.stepwise.scheduler.ApiCalls.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Amendments over a real port, on H2 and PostgreSQL: applied at once and pending until a
 * step reaches their epoch, idempotent by id, undone by a resume before them, kept by a
 * state document, and every bad amendment a problem naming its field.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@OnEveryDatabase
class AmendmentsIT {

	private final ApiCalls api;

	AmendmentsIT(@Autowired RestTestClient client) {
		this.api = new ApiCalls(client);
	}

	private String register(String prefix, String scheduler) {
		String id = prefix + "-" + UUID.randomUUID();
		json(this.api.post("/schedulers", "{\"id\": \"" + id
				+ "\", \"param_groups\": [{\"lr\": 0.1, \"momentum\": 0.9}]," + " \"scheduler\": " + scheduler + "}"),
				201);
		return id;
	}

	private double step(String id, long epoch, int status) {
		JsonNode answer = json(this.api.post("/schedulers/" + id + "/steps", "{\"epoch\": " + epoch + "}"), status);
		return answer.path("param_groups").path(0).path("lr").asDouble();
	}

	private void stepTo(String id, long from, long to) {
		for (long epoch = from; epoch <= to; epoch++) {
			step(id, epoch, 200);
		}
	}

	private double lr(String id) {
		return json(this.api.get("/schedulers/" + id + "/lr"), 200).path("param_groups").path(0).path("lr").asDouble();
	}

	private JsonNode amend(String id, String body, int status) {
		return json(this.api.post("/schedulers/" + id + "/amendments", body), status);
	}

	private static String field(JsonNode problem) {
		return problem.path("errors").path(0).path("field").asString();
	}

	@Test
	void anExtendedOneCycleLrContinuesWhereItWouldHaveRaised() {
		String id = register("extend", "{\"type\": \"OneCycleLR\", \"max_lr\": 0.1, \"total_steps\": 10}");
		stepTo(id, 1, 10);
		JsonNode refused = json(this.api.post("/schedulers/" + id + "/steps", "{\"epoch\": 11}"), 409);
		assertThat(refused.path("detail").asString()).contains("Tried to step");
		double atTen = lr(id);
		String body = "{\"amendment_id\": \"longer\", \"extend\": {\"total_steps\": 20}}";
		JsonNode amended = amend(id, body, 201);
		assertThat(amended.path("last_epoch").asLong()).isEqualTo(10);
		assertThat(amended.path("param_groups").path(0).path("lr").asDouble()).isCloseTo(atTen, within(1e-15));
		assertThat(amended.path("scheduler").path("total_steps").asLong()).isEqualTo(10);
		assertThat(amended.path("scheduler_in_force").path("total_steps").asLong()).isEqualTo(20);
		assertThat(amended.path("amendments").path(0).path("status").asString()).isEqualTo("applied");
		assertThat(amended.path("amendments").path(0).path("at_epoch").asLong()).isEqualTo(10);
		// every rank may post it: the others get the recorded amendment
		assertThat(amend(id, body, 200).path("amendments")).hasSize(1);
		JsonNode conflict = amend(id, "{\"amendment_id\": \"longer\", \"extend\": {\"total_steps\": 30}}", 409);
		assertThat(conflict.path("type").asString()).endsWith("/amendment-conflict");
		assertThat(field(conflict)).isEqualTo("amendment_id");
		double previous = atTen;
		for (long epoch = 11; epoch < 20; epoch++) {
			double lr = step(id, epoch, 200);
			assertThat(lr).as("epoch %d", epoch).isLessThan(previous);
			previous = lr;
		}
		// as PyTorch, the step to total_steps itself is taken
		step(id, 20, 200);
		json(this.api.post("/schedulers/" + id + "/steps", "{\"epoch\": 21}"), 409);
		JsonNode scheduler = json(this.api.get("/schedulers/" + id), 200);
		assertThat(scheduler.path("scheduler_in_force").path("total_steps").asLong()).isEqualTo(20);
	}

	@Test
	void aPendingDecayTakesEffectInTheStepThatReachesItsEpochAndAResumeBeforeItUndoesIt() {
		String id = register("decay", "{\"type\": \"warmup_stable_decay\", \"num_warmup_steps\": 2,"
				+ " \"num_decay_steps\": 10, \"num_training_steps\": 100}");
		stepTo(id, 1, 3);
		String decay = "{\"amendment_id\": \"decay-at-6\", \"at_epoch\": 6, \"decay_now\": {\"decay_steps\": 4,"
				+ " \"decay_type\": \"linear\", \"min_lr_ratio\": 0.5}}";
		JsonNode pending = amend(id, decay, 201);
		assertThat(pending.path("amendments").path(0).path("status").asString()).isEqualTo("pending");
		assertThat(pending.path("last_epoch").asLong()).isEqualTo(3);
		JsonNode another = amend(id,
				"{\"amendment_id\": \"other\", \"at_epoch\": 8, \"decay_now\": {\"decay_steps\": 4}}", 409);
		assertThat(field(another)).isEqualTo("at_epoch");
		stepTo(id, 4, 5);
		assertThat(step(id, 6, 200)).isEqualTo(0.1);
		// x (r + (1 - r)(1 - s/n)) with x = 0.1, r = 0.5, n = 4
		assertThat(step(id, 7, 200)).isCloseTo(0.1 * (0.5 + 0.5 * 0.75), within(1e-15));
		assertThat(step(id, 8, 200)).isCloseTo(0.1 * (0.5 + 0.5 * 0.5), within(1e-15));
		stepTo(id, 9, 12);
		assertThat(lr(id)).isCloseTo(0.05, within(1e-15));
		JsonNode applied = json(this.api.get("/schedulers/" + id), 200);
		assertThat(applied.path("amendments").path(0).path("status").asString()).isEqualTo("applied");
		assertThat(applied.path("scheduler_in_force").path("num_decay_steps").asLong()).isEqualTo(4);
		// the epoch has passed: a rank may have stepped with the schedule in force
		JsonNode passed = amend(id,
				"{\"amendment_id\": \"late\", \"at_epoch\": 11, \"decay_now\": {\"decay_steps\": 4}}", 409);
		assertThat(field(passed)).isEqualTo("at_epoch");
		assertThat(passed.path("last_epoch").asLong()).isEqualTo(12);

		json(this.api.post("/schedulers/" + id + "/resume", "{\"last_epoch\": 5}"), 200);
		JsonNode undone = json(this.api.get("/schedulers/" + id), 200);
		assertThat(undone.path("amendments").path(0).path("status").asString()).isEqualTo("undone");
		assertThat(undone.path("scheduler_in_force").path("type").asString()).isEqualTo("warmup_stable_decay");
		assertThat(undone.path("scheduler_in_force").path("num_training_steps").asLong()).isEqualTo(100);
		assertThat(step(id, 6, 200)).isEqualTo(0.1);
		assertThat(step(id, 7, 200)).isEqualTo(0.1);
		// posting it again reopens it, at an epoch still ahead
		JsonNode again = amend(id, decay.replace("\"at_epoch\": 6", "\"at_epoch\": 9"), 201);
		assertThat(again.path("amendments").path(0).path("status").asString()).isEqualTo("pending");
		stepTo(id, 8, 9);
		assertThat(step(id, 10, 200)).isCloseTo(0.1 * (0.5 + 0.5 * 0.75), within(1e-15));
	}

	@Test
	void aNewSpecCountsFromItsEpochAndItsStateDocumentRoundTrips() {
		String id = register("spec", "{\"type\": \"StepLR\", \"step_size\": 2, \"gamma\": 0.5}");
		stepTo(id, 1, 4);
		JsonNode amended = amend(id,
				"{\"amendment_id\": \"exp\", \"scheduler\": {\"type\": \"ExponentialLR\", \"gamma\": 0.9}}", 201);
		assertThat(amended.path("param_groups").path(0).path("lr").asDouble()).isEqualTo(0.025);
		assertThat(amended.path("scheduler_in_force").path("type").asString()).isEqualTo("ExponentialLR");
		assertThat(step(id, 5, 200)).isCloseTo(0.025 * 0.9, within(1e-16));
		String state = text(this.api.get("/schedulers/" + id + "/state"));
		assertThat(state).contains("\"last_epoch\":5").contains("ExponentialLR");
		stepTo(id, 6, 7);
		json(this.api.put("/schedulers/" + id + "/state", state), 200);
		assertThat(lr(id)).isCloseTo(0.025 * 0.9, within(1e-16));
		assertThat(step(id, 6, 200)).isCloseTo(0.025 * 0.81, within(1e-16));
		// the history's record of the amendment's epoch holds the amended state
		json(this.api.post("/schedulers/" + id + "/resume", "{\"last_epoch\": 4}"), 200);
		assertThat(step(id, 5, 200)).isCloseTo(0.025 * 0.9, within(1e-16));
		json(this.api.post("/schedulers/" + id + "/resume", "{\"last_epoch\": 3}"), 200);
		assertThat(step(id, 4, 200)).isEqualTo(0.025);
		assertThat(step(id, 5, 200)).isEqualTo(0.025);
		assertThat(json(this.api.get("/schedulers/" + id), 200).path("amendments").path(0).path("status").asString())
			.isEqualTo("undone");
	}

	@Test
	void everyBadAmendmentIsAProblemNamingItsField() {
		String id = register("bad", "{\"type\": \"OneCycleLR\", \"max_lr\": 0.1, \"total_steps\": 10}");
		JsonNode decay = amend(id, "{\"amendment_id\": \"a\", \"decay_now\": {\"decay_steps\": 3}}", 422);
		assertThat(decay.path("type").asString()).endsWith("/invalid-argument");
		assertThat(field(decay)).isEqualTo("decay_now");
		assertThat(field(amend(id, "{\"amendment_id\": \"a\", \"extend\": {\"T_max\": 30}}", 422)))
			.isEqualTo("extend.T_max");
		assertThat(field(amend(id, "{\"amendment_id\": \"a\", \"extend\": {\"total_steps\": 0}}", 422)))
			.isEqualTo("extend.total_steps");
		assertThat(field(amend(id, "{\"amendment_id\": \"a\", \"extend\": {\"total_steps\": 2.5}}", 422)))
			.isEqualTo("extend.total_steps");
		assertThat(field(amend(id,
				"{\"amendment_id\": \"a\", \"extend\": {\"total_steps\": 30}, \"decay_now\": {\"decay_steps\": 3}}",
				400)))
			.isEqualTo("extend");
		assertThat(field(amend(id, "{\"amendment_id\": \"a\", \"scheduler\": {\"type\": \"StepLR\"}}", 400)))
			.isEqualTo("scheduler.step_size");
		assertThat(field(amend(id, "{\"extend\": {\"total_steps\": 30}}", 400))).isEqualTo("amendment_id");
		assertThat(
				field(amend(id, "{\"amendment_id\": \"a\", \"at_epoch\": -1, \"extend\": {\"total_steps\": 30}}", 422)))
			.isEqualTo("at_epoch");
		JsonNode missing = json(this.api.post("/schedulers/nobody/amendments",
				"{\"amendment_id\": \"a\", \"extend\": {\"total_steps\": 30}}"), 404);
		assertThat(missing.path("type").asString()).endsWith("/scheduler-not-found");
		assertThat(json(this.api.get("/schedulers/" + id), 200).path("amendments")).isEmpty();
	}

}
