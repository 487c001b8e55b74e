package dev.stepwise.schedule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The golden file of the LR range test and the lr finder
 * ({@code src/test/python/lr_finder_traces.py}: Lightning's and fastai's code
 * transcribed, run on real torch). Non-finite numbers are the strings the API writes.
 */
public final class LrFinderGolden {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private LrFinderGolden() {
	}

	/** The whole file. */
	public static Map<String, Object> load() {
		try (InputStream in = LrFinderGolden.class.getResourceAsStream("/lrfinder/golden.json")) {
			return JSON.readValue(in, new TypeReference<>() {
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The cases of one section ({@code range_tests} or {@code analyses}). */
	@SuppressWarnings("unchecked")
	public static List<Map<String, Object>> cases(String section) {
		return (List<Map<String, Object>>) load().get(section);
	}

	/** A number of the file, the strings NaN and ±Infinity included; null stays null. */
	public static Double number(Object value) {
		if (value == null) {
			return null;
		}
		if (value instanceof String text) {
			return Double.parseDouble(text);
		}
		return ((Number) value).doubleValue();
	}

	/** A list of numbers of the file. */
	public static double[] numbers(Object list) {
		return ((List<?>) list).stream().mapToDouble((value) -> number(value)).toArray();
	}

	/** A list of metrics of the file, null where a step has none. */
	public static List<Double> metrics(Object list) {
		return ((List<?>) list).stream().map(LrFinderGolden::number).toList();
	}

}
