package dev.stepwise.schedule.bench;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.stepwise.schedule.JsonValues;
import dev.stepwise.schedule.ParamGroup;
import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleState;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The calibration of the memory estimates of the compute budget
 * ({@code dev.stepwise.scheduler.MemoryEstimate}): for the maximal request of each kind,
 * what the computation allocates (the computing thread's
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}) and what it retains at
 * its peak (heap used after full collections with the request's objects held, minus the
 * same without them): the body as bytes, its parse (Jackson into plain Java), the
 * compiled schedule, the computed state and its state document. Run by hand:
 * {@code java -Xmx1g -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) dev.stepwise.schedule.bench.MemoryCalibration}.
 */
public final class MemoryCalibration {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	/**
	 * What a request holds, reachable from a static field so that no compiler drops it
	 * early.
	 */
	static final Object[] HELD = new Object[5];

	private MemoryCalibration() {
	}

	/** A maximal request: its body, and how it is computed. */
	record Case(String name, String body, long lastEpoch, int steps) {
	}

	static List<Case> cases() {
		String expression = "\"" + "epoch * 0.5 + ".repeat(64) + "1\"";
		String groups1024 = "[" + "{\"lr\": 0.1, \"momentum\": 0.9},".repeat(1023)
				+ "{\"lr\": 0.1, \"momentum\": 0.9}]";
		String plainGroups1024 = "[" + "{\"lr\": 0.1},".repeat(1023) + "{\"lr\": 0.1}]";
		String constant = "{\"type\": \"ConstantLR\", \"factor\": 0.5, \"total_iters\": 3},";
		String chained = "{\"type\": \"ChainedScheduler\", \"schedulers\": [" + constant.repeat(14)
				+ constant.substring(0, constant.length() - 1) + "]}";
		String chained64 = "{\"type\": \"ChainedScheduler\", \"schedulers\": [" + constant.repeat(62)
				+ constant.substring(0, constant.length() - 1) + "]}";
		String groups256 = "[" + "{\"lr\": 0.1},".repeat(255) + "{\"lr\": 0.1}]";
		return List.of(new Case("lambda-1024x900",
				"{\"param_groups\": " + plainGroups1024 + ", \"scheduler\": {\"type\": \"LambdaLR\", \"lr_lambda\": ["
						+ (expression + ",").repeat(1023) + expression + "]}}",
				0, 0),
				new Case("onecycle-ff-1024", "{\"param_groups\": " + groups1024
						+ ", \"scheduler\": {\"type\": \"OneCycleLR\", \"max_lr\": 0.1, \"total_steps\": 10000000}}",
						9_999_999, 0),
				new Case("chained-15x1024",
						"{\"param_groups\": " + plainGroups1024 + ", \"scheduler\": " + chained + "}", 0, 0),
				new Case("chained-63x256", "{\"param_groups\": " + groups256 + ", \"scheduler\": " + chained64 + "}", 0,
						0),
				new Case("preview-onecycle-1024x255", "{\"param_groups\": " + groups1024
						+ ", \"scheduler\": {\"type\": \"OneCycleLR\", \"max_lr\": 0.1, \"total_steps\": 1000000}}", 0,
						255),
				new Case("small-steplr-2", "{\"param_groups\": [{\"lr\": 0.1}, {\"lr\": 0.01}]"
						+ ", \"scheduler\": {\"type\": \"StepLR\", \"step_size\": 3}}", 0, 0));
	}

	public static void main(String[] args) {
		int runs = (args.length > 0) ? Integer.parseInt(args[0]) : 5;
		for (Case c : cases()) {
			long[] allocated = new long[runs];
			long[] retained = new long[runs];
			long[] parts = new long[5];
			for (int r = -2; r < runs; r++) {
				long before = usedAfterGc();
				long start = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
				Object[] held = HELD;
				held[0] = c.body().getBytes(StandardCharsets.UTF_8);
				@SuppressWarnings("unchecked")
				Map<String, Object> request = JSON.readValue((byte[]) held[0], Map.class);
				held[1] = request;
				@SuppressWarnings("unchecked")
				Map<String, Object> spec = JsonValues.object((Map<String, Object>) request.get("scheduler"),
						"scheduler", true);
				Schedule schedule = Schedule.of(spec, groups(request));
				held[2] = schedule;
				ScheduleState state;
				if (c.steps() > 0) {
					ScheduleState[] last = new ScheduleState[1];
					try (JsonGenerator json = JSON.createGenerator(OutputStream.nullOutputStream())) {
						json.writeStartArray();
						schedule.preview(c.lastEpoch(), c.steps(), List.of(), (s) -> {
							JSON.writeValue(json, s.paramGroups());
							last[0] = s;
						});
						json.writeEndArray();
					}
					state = last[0];
				}
				else {
					state = schedule.start(c.lastEpoch());
				}
				held[3] = state;
				held[4] = JSON.writeValueAsString(schedule.stateDict(state));
				long alloc = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - start;
				long after = usedAfterGc();
				if (r >= 0) {
					allocated[r] = alloc;
					retained[r] = after - before;
					if (r == 0) {
						parts[0] = ((byte[]) held[0]).length;
						parts[4] = ((String) held[4]).length();
						parts[1] = sizeOf(() -> {
							@SuppressWarnings("unchecked")
							Map<String, Object> again = JSON.readValue((byte[]) held[0], Map.class);
							return again;
						});
						parts[2] = sizeOf(() -> Schedule.of(spec, groups(request)));
						parts[3] = sizeOf(() -> schedule.restore(schedule.stateDict(state)));
					}
				}
				Arrays.fill(held, null);
			}
			Arrays.sort(allocated);
			Arrays.sort(retained);
			System.out.printf(
					"%-28s allocated MB min %6.1f median %6.1f max %6.1f | retained MB median %6.1f (body %.2f, parse %.2f,"
							+ " schedule %.2f, state %.2f, state doc chars %.2f M)%n",
					c.name(), mb(allocated[0]), mb(allocated[runs / 2]), mb(allocated[runs - 1]),
					mb(retained[runs / 2]), mb(parts[0]), mb(parts[1]), mb(parts[2]), mb(parts[3]), parts[4] / 1e6);
		}
	}

	@SuppressWarnings("unchecked")
	private static List<ParamGroup> groups(Map<String, Object> request) {
		List<ParamGroup> groups = new ArrayList<>();
		for (Object group : (List<Object>) request.get("param_groups")) {
			Map<String, Object> g = (Map<String, Object>) group;
			Object momentum = g.get("momentum");
			groups.add(new ParamGroup(((Number) g.get("lr")).doubleValue(),
					(momentum != null) ? ((Number) momentum).doubleValue() : null));
		}
		return groups;
	}

	/** The bytes what {@code build} returns retains, by heap used after GC. */
	private static long sizeOf(Supplier<Object> build) {
		long before = usedAfterGc();
		Object held = build.get();
		long size = usedAfterGc() - before;
		if (held.hashCode() == 42) {
			System.out.print("");
		}
		return size;
	}

	private static long usedAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		Runtime runtime = Runtime.getRuntime();
		return runtime.totalMemory() - runtime.freeMemory();
	}

	private static double mb(long bytes) {
		return bytes / 1048576.0;
	}

	static Map<String, Object> ordered(Map<String, Object> map) {
		return new LinkedHashMap<>(map);
	}

}
