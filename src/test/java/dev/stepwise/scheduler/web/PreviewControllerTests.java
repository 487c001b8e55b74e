package dev.stepwise.scheduler.web;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.stepwise.schedule.InvalidScheduleException;
import dev.stepwise.schedule.ParamGroup;
import dev.stepwise.schedule.Schedule;
import dev.stepwise.schedule.ScheduleState;
import dev.stepwise.schedule.StepException;
import dev.stepwise.scheduler.ComputeBusyException;
import dev.stepwise.scheduler.InvalidRequestException;
import dev.stepwise.scheduler.PreviewCommand;
import dev.stepwise.scheduler.PreviewService;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.stepwise.scheduler.web.ProblemAssertions.assertField;
import static dev.stepwise.scheduler.web.ProblemAssertions.assertProblem;
import static dev.stepwise.scheduler.web.ProblemAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willThrow;

/**
 * Previews over HTTP, and the problems of every failure.
 */
@ApiSliceTest
class PreviewControllerTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private PreviewService previews;

	@Test
	void previewPassesMetricsAndWritesEveryStateItIsHanded() {
		Schedule schedule = Schedule.of(Map.of("type", "ExponentialLR", "gamma", 0.5),
				List.of(new ParamGroup(1.0, null), new ParamGroup(0.25, 0.9)));
		willAnswer((invocation) -> {
			Consumer<ScheduleState> sink = invocation.getArgument(1);
			ScheduleState state = schedule.start(0);
			sink.accept(state);
			sink.accept(schedule.step(state, null));
			return null;
		}).given(this.previews).preview(any(), any());
		assertThat(preview("{\"param_groups\": [{\"lr\": 1}], \"scheduler\": {\"type\": \"ReduceLROnPlateau\"},"
				+ " \"steps\": 3, \"metrics\": [1.5, NaN, null]}"))
			.hasStatusOk()
			.hasContentType(MediaType.APPLICATION_JSON)
			.bodyJson()
			.isStrictlyEqualTo("{\"states\": [{\"last_epoch\": 0, \"param_groups\": [{\"lr\": 1.0, \"momentum\": null},"
					+ " {\"lr\": 0.25, \"momentum\": 0.9}]}, {\"last_epoch\": 1, \"param_groups\":"
					+ " [{\"lr\": 0.5, \"momentum\": null}, {\"lr\": 0.125, \"momentum\": 0.9}]}]}");
		ArgumentCaptor<PreviewCommand> command = ArgumentCaptor.forClass(PreviewCommand.class);
		then(this.previews).should().preview(command.capture(), any());
		assertThat(command.getValue().steps()).isEqualTo(3);
		assertThat(command.getValue().metrics()).isEqualTo(Arrays.asList(1.5, Double.NaN, null));
		assertThat(command.getValue().paramGroups()).containsExactly(new ParamGroup(1.0, null));
	}

	@Test
	void aFullBulkheadIs503WithRetryAfter() {
		willThrow(new ComputeBusyException("All 1 computation slots are busy", Duration.ofMillis(1500)))
			.given(this.previews)
			.preview(any(), any());
		MvcTestResult result = preview("{\"param_groups\": [{\"lr\": 1}], \"scheduler\": {}, \"steps\": 1}");
		assertProblem(result, 503, "service-unavailable");
		assertThat(result).headers().hasValue("Retry-After", "2");
	}

	@Test
	void previewBodyIsValidated() {
		assertField(preview("{\"param_groups\": [{\"lr\": 1}], \"scheduler\": {}}"), 400, "steps", "is required");
		assertField(preview("{\"param_groups\": [{\"lr\": 1}], \"scheduler\": {}, \"steps\": 100001}"), 422, "steps",
				null);
		assertField(preview("{\"param_groups\": [{\"lr\": 1}], \"scheduler\": {}, \"steps\": -1}"), 422, "steps", null);
		assertField(preview("{\"param_groups\": [{\"lr\": 1}], \"scheduler\": {}, \"steps\": 2, \"metrics\": 1}"), 400,
				"metrics", "must be an array");
		assertField(preview("{\"param_groups\": [{\"lr\": 1}], \"scheduler\": {}, \"steps\": 2, \"metrics\": [\"a\"]}"),
				400, "metrics[0]", "must be a number");
	}

	@Test
	void previewRefusalsAreProblems() {
		willThrow(new InvalidRequestException("steps", "too large")).given(this.previews).preview(any(), any());
		assertField(preview("{\"param_groups\": [{\"lr\": 1}], \"scheduler\": {}, \"steps\": 1}"), 422, "steps",
				"too large");
		willThrow(
				new InvalidScheduleException(InvalidScheduleException.Kind.MALFORMED, "scheduler.type", "unknown type"))
			.given(this.previews)
			.preview(any(), any());
		assertField(preview("{\"param_groups\": [{\"lr\": 1}], \"scheduler\": {}, \"steps\": 1}"), 400,
				"scheduler.type", "unknown type");
		willThrow(new StepException(StepException.Reason.REFUSED, "too many")).given(this.previews)
			.preview(any(), any());
		assertProblem(preview("{\"param_groups\": [{\"lr\": 1}], \"scheduler\": {}, \"steps\": 1}"), 409,
				"step-refused");
	}

	private MvcTestResult preview(String body) {
		return json(this.mvc.post().uri("/api/v1/previews"), body);
	}

}
