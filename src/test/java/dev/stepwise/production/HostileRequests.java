package dev.stepwise.production;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.stepwise.production.RawHttp.bodiless;
import static dev.stepwise.production.RawHttp.json;

/**
 * The hostile request shapes of {@link HostileRequestsIT}: expressions, JSON, paths and
 * queries, limits and state documents, each with the statuses an answer may have. Every
 * one of them is a 4xx (or, under load, a 503) problem.
 */
final class HostileRequests {

	/** A scheduler the state-document shapes aim at: StepLR(step_size=2) on one group. */
	static final String TARGET = "hostile-target";

	/** A ReduceLROnPlateau on one group, for the metric and plateau-state shapes. */
	static final String PLATEAU = "hostile-plateau";

	static final String TARGET_SPEC = "{\"id\": \"" + TARGET
			+ "\", \"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2}}";

	static final String PLATEAU_SPEC = "{\"id\": \"" + PLATEAU
			+ "\", \"param_groups\": [{\"lr\": 0.1}], \"scheduler\": {\"type\": \"ReduceLROnPlateau\"}}";

	private static final String SCHEDULERS = "/api/v1/schedulers";

	private static final String PREVIEWS = "/api/v1/previews";

	private static final String GROUP = "[{\"lr\": 0.1}]";

	/**
	 * One hostile request.
	 *
	 * @param category what it attacks
	 * @param name what it is
	 * @param request the bytes sent
	 * @param statuses the statuses its answer may have
	 */
	record Shape(String category, String name, byte[] request, Set<Integer> statuses) {

		@Override
		public String toString() {
			return this.category + ": " + this.name;
		}

	}

	private final List<Shape> shapes = new ArrayList<>();

	private String category = "";

	private HostileRequests() {
	}

	/** Every shape, in categories. */
	static List<Shape> all() {
		HostileRequests all = new HostileRequests();
		all.expressions();
		all.jsonBodies();
		all.paths();
		all.queries();
		all.limits();
		all.stateDocuments();
		all.steps();
		return Collections.unmodifiableList(all.shapes);
	}

	private void expressions() {
		this.category = "expression";
		lambda("deeply nested parentheses", "(".repeat(5000) + "epoch" + ")".repeat(5000), 422);
		lambda("nesting just past the depth limit", "(".repeat(65) + "epoch" + ")".repeat(65), 422);
		lambda("100,000 terms", String.join("+", Collections.nCopies(20_000, "epoch")), 422);
		lambda("power tower", "10**10**10", 422);
		post(SCHEDULERS, "epoch ** epoch fast-forwarded to 400",
				registration("{\"type\": \"LambdaLR\", \"lr_lambda\": \"epoch ** epoch\"}").replaceFirst("\\}$",
						", \"last_epoch\": 400}"),
				422);
		lambda("__import__", "__import__('os').system('id')", 422);
		lambda("lambda keyword", "lambda epoch: epoch", 422);
		lambda("attribute access", "epoch.real", 422);
		lambda("string literal", "'a' * 1000000", 422);
		lambda("5,000-digit integer", "1".repeat(5000), 422);
		lambda("float literal overflow", "1e999", 422);
		lambda("division by zero at construction", "1 / epoch", 422);
		lambda("floor division by zero", "epoch // 0", 422);
		lambda("modulo by zero", "epoch % 0", 422);
		lambda("long conditional chain", "1 if epoch > 1 else ".repeat(3000) + "1", 422);
		lambda("long comparison chain", String.join(" < ", Collections.nCopies(5000, "epoch")), 422);
		lambda("unknown name", "foo", 422);
		lambda("empty", "", 422);
		lambda("only spaces", "     ", 422);
		lambda("a raw tab inside the JSON string", "epoch\t", 400);
		lambda("NUL character", "epoch\u0000", 422);
		lambda("100,000-character name", "x".repeat(100_000), 422);
		lambda("min of nothing", "min()", 422);
		lambda("sqrt of a negative", "sqrt(-1)", 422);
		lambda("log of zero", "log(0)", 422);
		lambda("exp overflow", "exp(1000)", 422);
		lambda("inf minus inf", "exp(709) * 10 - exp(709) * 10", 422);
		lambda("incomplete conditional", "1 if epoch else", 422);
		lambda("complex power", "(-1) ** 0.5", 422);
		lambda("Arabic-Indic digit", "\u0661", 422);
		lambda("walrus", "(x := 1)", 422);
		lambda("calling epoch", "epoch(1)", 422);
		lambda("subscript", "epoch[0]", 422);
		lambda("20,000 or-terms", String.join(" or ", Collections.nCopies(20_000, "epoch")), 422);
		lambda("50,000 unary minus", "-".repeat(50_000) + "epoch", 422);
		lambda("format string", "f'{epoch}'", 422);
		lambda("bit shift", "1 << 100000", 422);
		lambda("huge power of two", "2 ** 100000", 422);
		register("lr_lambda list longer than the groups",
				"{\"type\": \"LambdaLR\", \"lr_lambda\": [\"epoch\", \"epoch\"]}", 422);
		register("lr_lambda a number", "{\"type\": \"LambdaLR\", \"lr_lambda\": 1}", 400);
		register("lr_lambda an object", "{\"type\": \"LambdaLR\", \"lr_lambda\": {\"a\": 1}}", 400);
		register("scale_fn syntax error",
				"{\"type\": \"CyclicLR\", \"base_lr\": 0.01, \"max_lr\": 0.1, \"scale_fn\": \"x +\"}", 422);
	}

	private void jsonBodies() {
		this.category = "json";
		post(SCHEDULERS, "truncated", "{\"param_groups\": [{\"lr\": 0.1}], \"sched", 400);
		post(SCHEDULERS, "trailing garbage", registration("{\"type\": \"StepLR\", \"step_size\": 2}") + " xx", 400);
		post(SCHEDULERS, "100,000 nested arrays",
				"{\"param_groups\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}", 400);
		post(PREVIEWS, "20,000 nested objects", "{\"a\": ".repeat(20_000) + "1" + "}".repeat(20_000), 400);
		post(SCHEDULERS, "100,000-digit number",
				"{\"param_groups\": [{\"lr\": 0." + "1".repeat(100_000) + "}], \"scheduler\": {\"type\": \"StepLR\"}}",
				400);
		post(SCHEDULERS, "2 MB string", "{\"id\": \"" + "a".repeat(2_000_000) + "\"}", 413);
		post(SCHEDULERS, "duplicate keys",
				"{\"param_groups\": [{\"lr\": 0.1}], \"param_groups\": [{\"lr\": 0.2}], \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2}}",
				400);
		post(SCHEDULERS, "comments", "{/* c */ \"param_groups\": " + GROUP + "}", 400);
		post(SCHEDULERS, "single quotes", "{'param_groups': [{'lr': 0.1}]}", 400);
		post(SCHEDULERS, "NaN lr", "{\"param_groups\": [{\"lr\": NaN}], \"scheduler\": {\"type\": \"StepLR\"}}", 422);
		post(SCHEDULERS, "Infinity lr",
				"{\"param_groups\": [{\"lr\": Infinity}], \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2}}",
				422);
		post(SCHEDULERS, "lr as a string",
				"{\"param_groups\": [{\"lr\": \"0.1\"}], \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2}}",
				400);
		post(SCHEDULERS, "empty body", "", 400);
		post(SCHEDULERS, "null body", "null", 400);
		post(SCHEDULERS, "array body", "[]", 400);
		post(SCHEDULERS, "string body", "\"x\"", 400);
		post(SCHEDULERS, "unknown field",
				registration("{\"type\": \"StepLR\", \"step_size\": 2}").replaceFirst("\\{", "{\"evil\": 1, "), 400);
		post(SCHEDULERS, "type null", registration("{\"type\": null}"), 400);
		post(SCHEDULERS, "scheduler an array", registration("[]"), 400);
		post(SCHEDULERS, "param_groups an object", "{\"param_groups\": {\"lr\": 0.1}, \"scheduler\": {}}", 400);
		post(SCHEDULERS, "id a number", "{\"id\": 7, \"param_groups\": " + GROUP + "}", 400);
		byte[] overlong = bytes("{\"id\": \"..\", \"param_groups\": " + GROUP + "}");
		overlong[8] = (byte) 0xC0;
		overlong[9] = (byte) 0xAF;
		add("bad UTF-8 in a string",
				RawHttp.request("POST", SCHEDULERS, "Content-Type: application/json\r\n", overlong), Set.of(400, 422));
		add("UTF-16 body", RawHttp.request("POST", SCHEDULERS, "Content-Type: application/json\r\n",
				registration("{\"type\": \"StepLR\"}").getBytes(StandardCharsets.UTF_16)), Set.of(400, 422));
		add("text/plain", RawHttp.request("POST", SCHEDULERS, "Content-Type: text/plain\r\n", bytes("{}")), 415);
		add("no Content-Type", RawHttp.request("POST", SCHEDULERS, "", bytes("{}")), 415);
		add("malformed Content-Type", RawHttp.request("POST", SCHEDULERS, "Content-Type: ;;;/\r\n", bytes("{}")),
				Set.of(400, 415));
		add("gzip claimed, not sent", RawHttp.request("POST", SCHEDULERS,
				"Content-Type: application/json\r\nContent-Encoding: gzip\r\n", bytes("{}")), Set.of(400, 415));
		add("Accept: application/xml", headers("GET", SCHEDULERS, "Accept: application/xml\r\n"), 406);
		post(PREVIEWS, "steps a string", preview("{\"type\": \"StepLR\", \"step_size\": 2}", "\"5\""), 400);
		post(PREVIEWS, "steps fractional", preview("{\"type\": \"StepLR\", \"step_size\": 2}", "5.5"), 400);
		post(PREVIEWS, "steps beyond 64 bits",
				preview("{\"type\": \"StepLR\", \"step_size\": 2}", "1" + "0".repeat(25)), 400);
		post(PREVIEWS, "metrics strings", "{\"param_groups\": " + GROUP
				+ ", \"scheduler\": {\"type\": \"ReduceLROnPlateau\"}, \"steps\": 2, \"metrics\": [\"a\", \"b\"]}",
				400);
	}

	private void paths() {
		this.category = "path";
		get("encoded slash", SCHEDULERS + "/a%2Fb/lr", 400);
		get("overlong UTF-8 slash", SCHEDULERS + "/%C0%AF/lr", 400);
		get("encoded NUL", SCHEDULERS + "/%00/lr", 400);
		get("bad percent-encoding", SCHEDULERS + "/%zz/lr", 400);
		get("backslash", SCHEDULERS + "/a\\b/lr", 400);
		get("raw non-ASCII", SCHEDULERS + "/\u00e9/lr", Set.of(400, 404));
		get("dot segments", SCHEDULERS + "/../../actuator/env", Set.of(400, 404));
		get("encoded dot segments", SCHEDULERS + "/%2e%2e/%2e%2e/actuator/env", Set.of(400, 404));
		get("10,000-character id", SCHEDULERS + "/" + "a".repeat(10_000) + "/lr", Set.of(400, 404, 414));
		get("129-character id", SCHEDULERS + "/" + "a".repeat(129) + "/lr", Set.of(400, 404));
		get("unknown id", SCHEDULERS + "/nobody-at-all/lr", 404);
		get("unknown path", "/api/v1/nothing", 404);
		get("unknown root path", "/nothing", 404);
		get("the error page", "/error", Set.of(400, 404));
		get("actuator env", "/actuator/env", 404);
		get("actuator heapdump", "/actuator/heapdump", 404);
		add("TRACE", bodiless("TRACE", SCHEDULERS), Set.of(400, 405));
		add("PATCH", bodiless("PATCH", SCHEDULERS + "/" + TARGET), 405);
		add("DELETE on the collection", bodiless("DELETE", SCHEDULERS), 405);
		add("PUT on lr", bodiless("PUT", SCHEDULERS + "/" + TARGET + "/lr"), 405);
		add("unknown method", bodiless("FOO", SCHEDULERS), Set.of(400, 405, 501));
		add("header of 20,000 bytes",
				headers("GET", SCHEDULERS + "/" + TARGET + "/lr", "X-Big: " + "a".repeat(20_000) + "\r\n"),
				Set.of(400, 431));
		add("illegal header name", headers("GET", SCHEDULERS + "/" + TARGET + "/lr", "Bad Header: 1\r\n"), 400);
		add("no Host", bytes("GET " + SCHEDULERS + "/" + TARGET + "/lr HTTP/1.1\r\nConnection: close\r\n\r\n"), 400);
		add("two Hosts", headers("GET", SCHEDULERS + "/" + TARGET + "/lr", "Host: b\r\n"), 400);
		add("garbage request line", bytes("\u0001\u0002\u0003 garbage\r\n\r\n"), 400);
		add("negative Content-Length", contentLength("-5"), 400);
		add("two Content-Lengths", contentLength("2\r\nContent-Length: 3"), 400);
		add("Content-Length of 2 GB", contentLength("2147483648"), 413);
		add("chunk size beyond 2 GB", bytes("POST " + SCHEDULERS
				+ " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFF\r\n{}"),
				Set.of(400, 408, 413));
	}

	private void queries() {
		this.category = "query";
		get("page -1", SCHEDULERS + "?page=-1", 400, 422);
		get("page 2^31", SCHEDULERS + "?page=2147483648", 400);
		get("page 4294968 of 500", SCHEDULERS + "?page=4294968&size=500", 400);
		get("page 2^62 of 500", SCHEDULERS + "?page=4611686018427387904&size=500", 400);
		get("page not a number", SCHEDULERS + "?page=abc", 400);
		get("size 0", SCHEDULERS + "?size=0", 400, 422);
		get("size 10^9", SCHEDULERS + "?size=1000000000", 400, 422);
		get("history limit -5", SCHEDULERS + "/" + TARGET + "/history?limit=-5", 400, 422);
		get("history limit 10^8", SCHEDULERS + "/" + TARGET + "/history?limit=100000000", 400, 422);
		get("history to_epoch NaN", SCHEDULERS + "/" + TARGET + "/history?to_epoch=NaN", 422);
		get("history from_epoch not a number", SCHEDULERS + "/" + TARGET + "/history?from_epoch=x", 400);
		get("history points 10^9", SCHEDULERS + "/" + TARGET + "/history?points=1000000000", 400, 422);
		get("history points with limit", SCHEDULERS + "/" + TARGET + "/history?points=100&limit=10", 400);
		get("list sorted by SQL", SCHEDULERS + "?sort=id%3Bdrop%20table%20scheduler", 400);
		get("list direction sideways", SCHEDULERS + "?direction=sideways", 400);
		get("list id_contains of 129", SCHEDULERS + "?id_contains=" + "a".repeat(129), 400);
		get("20,000 query parameters",
				SCHEDULERS + "/nobody/lr?"
						+ IntStream.range(0, 20_000).mapToObj((i) -> "p" + i + "=1").collect(Collectors.joining("&")),
				Set.of(400, 404, 414));
		get("query of 70,000 characters", SCHEDULERS + "/nobody/lr?x=" + "a".repeat(70_000), Set.of(400, 404, 414));
	}

	private void limits() {
		this.category = "limit";
		String groups1025 = IntStream.range(0, 1025)
			.mapToObj((i) -> "{\"lr\": 0.1}")
			.collect(Collectors.joining(", ", "[", "]"));
		post(SCHEDULERS, "1,025 param groups",
				"{\"param_groups\": " + groups1025 + ", \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2}}", 422);
		post(SCHEDULERS, "no param groups", "{\"param_groups\": [], \"scheduler\": {\"type\": \"StepLR\"}}", 422);
		post(PREVIEWS, "100,001 steps", preview("{\"type\": \"StepLR\", \"step_size\": 2}", "100001"), 422);
		post(PREVIEWS, "negative steps", preview("{\"type\": \"StepLR\", \"step_size\": 2}", "-1"), 422);
		post(SCHEDULERS, "last_epoch 10^7 + 1", registration("{\"type\": \"StepLR\", \"step_size\": 2}")
			.replaceFirst("\\}$", ", \"last_epoch\": 10000001}"), 422);
		post(SCHEDULERS, "last_epoch -2",
				registration("{\"type\": \"StepLR\", \"step_size\": 2}").replaceFirst("\\}$", ", \"last_epoch\": -2}"),
				422);
		String milestones = IntStream.range(0, 100_001).mapToObj(Integer::toString).collect(Collectors.joining(","));
		register("100,001 milestones", "{\"type\": \"MultiStepLR\", \"milestones\": [" + milestones + "]}", 422);
		String child = "{\"type\": \"ConstantLR\"}";
		register("65 children", "{\"type\": \"ChainedScheduler\", \"schedulers\": ["
				+ String.join(", ", Collections.nCopies(65, child)) + "]}", 422);
		String chained64 = "{\"type\": \"ChainedScheduler\", \"schedulers\": ["
				+ String.join(", ", Collections.nCopies(64, child)) + "]}";
		String groups1024 = IntStream.range(0, 1024)
			.mapToObj((i) -> "{\"lr\": 0.1}")
			.collect(Collectors.joining(", ", "[", "]"));
		post(SCHEDULERS, "64 x 64 ConstantLR on 1,024 groups",
				"{\"param_groups\": " + groups1024
						+ ", \"scheduler\": {\"type\": \"ChainedScheduler\", \"schedulers\": ["
						+ String.join(", ", Collections.nCopies(64, chained64)) + "]}}",
				422);
		post(PREVIEWS, "1,024 LambdaLR expressions fast-forwarded 100,000 steps",
				"{\"param_groups\": " + groups1024 + ", \"scheduler\": {\"type\": \"LambdaLR\", \"lr_lambda\": "
						+ IntStream.range(0, 1024)
							.mapToObj((i) -> "\"1 / (epoch - " + (70_000 + i) + ")\"")
							.collect(Collectors.joining(", ", "[", "]"))
						+ "}, \"steps\": 1, \"last_epoch\": 100000}",
				422);
		post(PREVIEWS, "OneCycleLR on 1,024 groups, 100,000 steps past the values limit", "{\"param_groups\": "
				+ groups1024
				+ ", \"scheduler\": {\"type\": \"OneCycleLR\", \"max_lr\": 0.1, \"total_steps\": 200000}, \"steps\": 100000}",
				422);
		register("OneCycleLR of 10^20 steps",
				"{\"type\": \"OneCycleLR\", \"max_lr\": 0.1, \"epochs\": 10000000000, \"steps_per_epoch\": 10000000000}",
				422);
		register("MultiStepLR milestone beyond 64 bits",
				"{\"type\": \"MultiStepLR\", \"milestones\": [1" + "0".repeat(25) + "]}", 422);
		register("step_size 1e300", "{\"type\": \"StepLR\", \"step_size\": 1e300}", 422);
		post(PREVIEWS, "more metrics than steps",
				"{\"param_groups\": " + GROUP
						+ ", \"scheduler\": {\"type\": \"ReduceLROnPlateau\"}, \"steps\": 1, \"metrics\": [1, 2]}",
				422);
		post(SCHEDULERS, "an id of 129 characters", "{\"id\": \"" + "a".repeat(129) + "\", \"param_groups\": " + GROUP
				+ ", \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2}}", 422);
		post(SCHEDULERS, "an id with a slash", "{\"id\": \"a/b\", \"param_groups\": " + GROUP
				+ ", \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 2}}", 422);
		post(SCHEDULERS, "a body of 1 MiB + 1", " ".repeat(1 << 20) + "{}", 413);
		post(SCHEDULERS, "the registered id with another body",
				TARGET_SPEC.replace("\"step_size\": 2", "\"step_size\": 3"), 409);
	}

	private void stateDocuments() {
		this.category = "state";
		String state = SCHEDULERS + "/" + TARGET + "/state";
		put(state, "last_epoch 2^63 - 1", stepLrState("9223372036854775807", "1", "0.1", "2", "0.1"), 422);
		put(state, "last_epoch 2^53 + 1", stepLrState("9007199254740993", "1", "0.1", "2", "0.1"), 422);
		put(state, "last_epoch negative", stepLrState("-5", "1", "0.1", "2", "0.1"), 422);
		put(state, "last_epoch a string", stepLrState("\"3\"", "4", "0.1", "2", "0.1"), 422);
		put(state, "_step_count 2^63 - 1", stepLrState("3", "9223372036854775807", "0.1", "2", "0.1"), 422);
		put(state, "negative lr", stepLrState("3", "4", "-0.1", "2", "0.1"), 422);
		put(state, "NaN lr", stepLrState("3", "4", "\"NaN\"", "2", "0.1"), 422);
		put(state, "Infinity lr", stepLrState("3", "4", "\"Infinity\"", "2", "0.1"), 422);
		put(state, "step_size differs from the spec", stepLrState("3", "4", "0.1", "5", "0.1"), 422);
		put(state, "gamma differs from the spec", stepLrState("3", "4", "0.1", "2", "0.5"), 422);
		put(state, "another type", "{\"type\": \"ExponentialLR\", \"last_epoch\": 3, \"gamma\": 0.5,"
				+ " \"base_lrs\": [0.1], \"_step_count\": 4, \"_last_lr\": [0.1], \"param_groups\": [{\"lr\": 0.1}]}",
				422);
		put(state, "only last_epoch", "{\"type\": \"StepLR\", \"last_epoch\": 3}", 422);
		put(state, "_last_lr of two groups",
				stepLrState("3", "4", "0.1", "2", "0.1").replace("\"_last_lr\": [0.1]", "\"_last_lr\": [0.1, 0.2]"),
				422);
		put(state, "no param groups", stepLrState("3", "4", "0.1", "2", "0.1")
			.replaceFirst("\"param_groups\": \\[.*\\]", "\"param_groups\": []"), 422);
		put(state, "base_lrs Infinity",
				stepLrState("3", "4", "0.1", "2", "0.1").replace("\"base_lrs\": [0.1]", "\"base_lrs\": [\"Infinity\"]"),
				422);
		put(state, "an array", "[]", 400);
		put(SCHEDULERS + "/nobody-at-all/state", "an unknown scheduler", "{}", 404);
		String plateau = SCHEDULERS + "/" + PLATEAU + "/state";
		put(plateau, "best NaN", plateauState("\"NaN\"", "0", "min"), 422);
		put(plateau, "num_bad_epochs -2^63", plateauState("\"Infinity\"", "-9223372036854775808", "min"), 422);
		put(plateau, "mode differs from the spec", plateauState("\"Infinity\"", "0", "max"), 422);
	}

	private void steps() {
		this.category = "step";
		String steps = SCHEDULERS + "/" + TARGET + "/steps";
		post(steps, "epoch 1e300", "{\"epoch\": 1e300}", 422);
		post(steps, "epoch beyond 64 bits", "{\"epoch\": 1" + "0".repeat(25) + "}", 400, 422);
		post(steps, "fractional epoch of StepLR", "{\"epoch\": 1.5}", 422);
		post(steps, "epoch NaN", "{\"epoch\": NaN}", 400, 422);
		post(steps, "negative epoch", "{\"epoch\": -3}", 422);
		post(steps, "an epoch gap", "{\"epoch\": 50}", 409);
		post(steps, "metric an array", "{\"metric\": [1]}", 400);
		post(steps, "metric an object", "{\"metric\": {\"a\": 1}}", 400);
		post(steps, "metric a word", "{\"metric\": \"lots\"}", 400);
		post(SCHEDULERS + "/" + PLATEAU + "/steps", "plateau step without a metric", "{}", 400);
		post(SCHEDULERS + "/" + TARGET + "/resume", "resume beyond last_epoch", "{\"last_epoch\": 99}", 409);
		post(SCHEDULERS + "/" + TARGET + "/resume", "resume at -1", "{\"last_epoch\": -1}", 422);
		post(SCHEDULERS + "/" + TARGET + "/resume", "resume at 1e300", "{\"last_epoch\": 1e300}", 400, 422);
		post(SCHEDULERS + "/nobody-at-all/steps", "a step of an unknown scheduler", "{}", 404);
		post(PREVIEWS, "OneCycleLR past total_steps", "{\"param_groups\": " + GROUP
				+ ", \"scheduler\": {\"type\": \"OneCycleLR\", \"max_lr\": 0.1, \"total_steps\": 5}, \"steps\": 10}",
				409);
	}

	private static String stepLrState(String lastEpoch, String stepCount, String lr, String stepSize, String gamma) {
		return "{\"type\": \"StepLR\", \"last_epoch\": " + lastEpoch + ", \"step_size\": " + stepSize + ", \"gamma\": "
				+ gamma + ", \"base_lrs\": [0.1], \"_step_count\": " + stepCount
				+ ", \"_last_lr\": [0.1], \"param_groups\": [{\"lr\": " + lr + ", \"initial_lr\": 0.1}]}";
	}

	private static String plateauState(String best, String badEpochs, String mode) {
		return "{\"type\": \"ReduceLROnPlateau\", \"last_epoch\": 0, \"mode\": \"" + mode + "\", \"factor\": 0.1,"
				+ " \"patience\": 10, \"threshold\": 1.0E-4, \"threshold_mode\": \"rel\", \"cooldown\": 0,"
				+ " \"min_lr\": 0.0, \"eps\": 1.0E-8, \"min_lrs\": [0.0], \"mode_worse\": \"Infinity\", \"best\": "
				+ best + ", \"num_bad_epochs\": " + badEpochs + ", \"cooldown_counter\": 0, \"_last_lr\": [0.1],"
				+ " \"param_groups\": [{\"lr\": 0.1}]}";
	}

	private static String registration(String scheduler) {
		return "{\"param_groups\": " + GROUP + ", \"scheduler\": " + scheduler + "}";
	}

	private static String preview(String scheduler, String steps) {
		return "{\"param_groups\": " + GROUP + ", \"scheduler\": " + scheduler + ", \"steps\": " + steps + "}";
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] headers(String method, String target, String extra) {
		return bytes(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + extra + "\r\n");
	}

	private static byte[] contentLength(String value) {
		return bytes("POST " + SCHEDULERS
				+ " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: "
				+ value + "\r\n\r\n{}");
	}

	private void lambda(String name, String expression, int status) {
		String quoted = expression.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u0000", "\\u0000");
		register(name, "{\"type\": \"LambdaLR\", \"lr_lambda\": \"" + quoted + "\"}", status);
	}

	private void register(String name, String scheduler, int status) {
		post(SCHEDULERS, name, registration(scheduler), status);
	}

	private void post(String path, String name, String body, int... statuses) {
		add(name, json("POST", path, body), set(statuses));
	}

	private void put(String path, String name, String body, int status) {
		add(name, json("PUT", path, body), Set.of(status));
	}

	private void get(String name, String target, int... statuses) {
		add(name, bodiless("GET", target), set(statuses));
	}

	private void get(String name, String target, Set<Integer> statuses) {
		add(name, bodiless("GET", target), statuses);
	}

	private void post(String path, String name, String body, Set<Integer> statuses) {
		add(name, json("POST", path, body), statuses);
	}

	private void add(String name, byte[] request, int status) {
		add(name, request, Set.of(status));
	}

	private void add(String name, byte[] request, Set<Integer> statuses) {
		this.shapes.add(new Shape(this.category, name, request, statuses));
	}

	private static Set<Integer> set(int... statuses) {
		return IntStream.of(statuses).boxed().collect(Collectors.toUnmodifiableSet());
	}

}
