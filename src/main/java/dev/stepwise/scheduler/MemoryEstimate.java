package dev.stepwise.scheduler;

import java.util.List;
import java.util.Map;

import dev.stepwise.schedule.Schedule;

/**
 * What a request keeps reachable at its peak, in bytes, estimated from what the request
 * is before any of it is built: the reservation it makes in the {@link MemoryBudget}. The
 * constants come from {@code src/bench/.../MemoryCalibration} (Java 17, compressed oops;
 * heap used after full collections with the request's objects held, minus without), each
 * with room above the measurement:
 * <table>
 * <caption>measured against estimated</caption>
 * <tr>
 * <th>request</th>
 * <th>retained</th>
 * <th>estimate</th>
 * </tr>
 * <tr>
 * <td>LambdaLR, 1,024 groups x 921 characters of lr_lambda (a 0.9 MB body)</td>
 * <td>9.7 MB: body 0.9, parse 1.1, compiled expressions 6.8 (7.3 bytes per character),
 * state document 1.0</td>
 * <td>15.4 MB computation + 2.0 MB body</td>
 * </tr>
 * <tr>
 * <td>ChainedScheduler of 15 ConstantLR on 1,024 groups</td>
 * <td>0.8 MB (0.3 state, 0.3 schedule)</td>
 * <td>2.7 MB</td>
 * </tr>
 * <tr>
 * <td>OneCycleLR on 1,024 groups fast-forwarded to 9,999,999</td>
 * <td>0.5 MB</td>
 * <td>0.8 MB</td>
 * </tr>
 * <tr>
 * <td>preview, OneCycleLR on 1,024 groups, 1,952 steps (streamed)</td>
 * <td>0.6 MB</td>
 * <td>0.9 MB</td>
 * </tr>
 * </table>
 * Parsing JSON into plain Java takes up to 20 bytes per byte of body
 * ({@code [{},{},...]}; 7.4 for a list of decimals, 1.0 for one long string), so a body's
 * estimate counts its structure, not only its length ({@link #parsedBody}).
 */
public final class MemoryEstimate {

	/** What any computation holds besides its size: the schedule's objects, buffers. */
	static final long BASE = 64 * 1024;

	/**
	 * Per character of the spec's strings: an expression compiles to 7.3 bytes per
	 * character (6.8 MB for 921,600 characters of lr_lambda), and the spec is also kept
	 * as the normalized and the canonical JSON strings of the registration.
	 */
	static final long PER_SPEC_CHARACTER = 16;

	/**
	 * Per param group: the group as parsed, in the optimizer's arrays and in the JSON of
	 * the state (measured 450 bytes: 0.46 MB for 1,024 groups of OneCycleLR).
	 */
	static final long PER_GROUP = 512;

	/**
	 * Per scheduler node and param group: its values in the state and in the state
	 * document (measured 49 bytes: 0.8 MB for 16 x 1,024).
	 */
	static final long PER_STATE_ENTRY = 128;

	/**
	 * Per value of a state document being restored: the state and the documents stored
	 * for it (measured about 25 bytes: 0.9 MB for the 35,000 values of a ChainedScheduler
	 * of 15 on 1,024 groups).
	 */
	static final long PER_STATE_VALUE = 48;

	/** Per metric of a preview, a boxed double in a list. */
	static final long PER_METRIC = 32;

	/** Per structural character of a JSON body ({, [, ,, :), parsed into plain Java. */
	static final long PER_JSON_TOKEN = 32;

	/**
	 * Below this a computation is light: it reserves its memory but takes no compute slot
	 * (see {@link ComputeBulkhead}).
	 */
	public static final long LIGHT_BYTES = 1024 * 1024;

	/**
	 * Below this a fast-forward is light (about 4 ms of one core): it runs without a
	 * compute slot.
	 */
	public static final long LIGHT_WORK = Schedule.MAX_WORK / 50;

	/** Below this a request body is read and parsed without a reservation. */
	public static final long SMALL_BODY = 4 * 1024;

	private MemoryEstimate() {
	}

	/**
	 * A registration or preview of {@code spec} on {@code groups} param groups with
	 * {@code metrics} metrics: the compiled schedule, its states and their documents.
	 */
	public static long computation(Map<String, ?> spec, int groups, int metrics) {
		Shape shape = new Shape();
		shape.walk(spec, true);
		long entries = Math.min(Math.max(1, shape.nodes) * groups, Schedule.MAX_STATE_SIZE);
		return BASE + PER_SPEC_CHARACTER * shape.characters + PER_GROUP * groups + PER_STATE_ENTRY * entries
				+ PER_METRIC * metrics;
	}

	/**
	 * A state document being restored: the state it gives and the documents stored for it
	 * (its values, once more each).
	 */
	public static long stateDocument(Map<String, ?> document) {
		Shape shape = new Shape();
		shape.walk(document, false);
		return BASE + PER_STATE_VALUE * shape.values + 2 * shape.characters;
	}

	/**
	 * A request body of {@code bytes} bytes of which {@code tokens} are structural JSON
	 * characters, parsed (Jackson's plain Java) and copied into the engine's form.
	 */
	public static long parsedBody(long bytes, long tokens) {
		return 2 * (bytes + PER_JSON_TOKEN * tokens);
	}

	/** A body as it arrives: the buffer and its copy. */
	public static long bufferedBody(long bytes) {
		return 2 * bytes;
	}

	/**
	 * A compiled schedule kept in memory: its expressions from the characters of its
	 * request ({@code requestChars}), and its initial state.
	 */
	public static long compiledSchedule(long requestChars, int groups, int stateSize) {
		return BASE / 16 + 8 * requestChars + PER_GROUP * groups + PER_STATE_ENTRY * (long) stateSize;
	}

	/** A parsed state kept in memory with its document of {@code documentChars}. */
	public static long parsedState(long documentChars) {
		return 256 + 3 * documentChars;
	}

	/** Counts the scheduler nodes, values and characters of a plain-Java JSON tree. */
	private static final class Shape {

		private long nodes;

		private long values;

		private long characters;

		void walk(Object value, boolean spec) {
			if (value instanceof Map<?, ?> map) {
				if (spec && map.containsKey("type")) {
					this.nodes++;
				}
				for (Map.Entry<?, ?> entry : map.entrySet()) {
					this.characters += String.valueOf(entry.getKey()).length();
					walk(entry.getValue(), spec);
				}
			}
			else if (value instanceof List<?> list) {
				for (Object element : list) {
					walk(element, spec);
				}
			}
			else if (value instanceof CharSequence text) {
				this.characters += text.length();
				this.values++;
			}
			else {
				this.values++;
			}
		}

	}

}
