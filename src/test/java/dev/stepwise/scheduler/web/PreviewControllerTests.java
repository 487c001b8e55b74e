package dev.stepwise.scheduler.web;

import java.util.Arrays;
import java.util.List;

import dev.stepwise.schedule.InvalidScheduleException;
import dev.stepwise.schedule.ParamGroup;
import dev.stepwise.schedule.StepException;
import dev.stepwise.scheduler.InvalidRequestException;
import dev.stepwise.scheduler.PreviewCommand;
import dev.stepwise.scheduler.PreviewService;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.stepwise.scheduler.web.ProblemAssertions.assertField;
import static dev.stepwise.scheduler.web.ProblemAssertions.assertProblem;
import static dev.stepwise.scheduler.web.ProblemAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
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
	void previewPassesMetricsAndAnswersEveryState() {
		given(this.previews.preview(any())).willReturn(List.of());
		assertThat(preview("{\"param_groups\": [{\"lr\": 1}], \"scheduler\": {\"type\": \"ReduceLROnPlateau\"},"
				+ " \"steps\": 3, \"metrics\": [1.5, NaN, null]}"))
			.hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"states\": []}");
		ArgumentCaptor<PreviewCommand> command = ArgumentCaptor.forClass(PreviewCommand.class);
		then(this.previews).should().preview(command.capture());
		assertThat(command.getValue().steps()).isEqualTo(3);
		assertThat(command.getValue().metrics()).isEqualTo(Arrays.asList(1.5, Double.NaN, null));
		assertThat(command.getValue().paramGroups()).containsExactly(new ParamGroup(1.0, null));
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
		willThrow(new InvalidRequestException("steps", "too large")).given(this.previews).preview(any());
		assertField(preview("{\"param_groups\": [{\"lr\": 1}], \"scheduler\": {}, \"steps\": 1}"), 422, "steps",
				"too large");
		willThrow(
				new InvalidScheduleException(InvalidScheduleException.Kind.MALFORMED, "scheduler.type", "unknown type"))
			.given(this.previews)
			.preview(any());
		assertField(preview("{\"param_groups\": [{\"lr\": 1}], \"scheduler\": {}, \"steps\": 1}"), 400,
				"scheduler.type", "unknown type");
		willThrow(new StepException(StepException.Reason.REFUSED, "too many")).given(this.previews).preview(any());
		assertProblem(preview("{\"param_groups\": [{\"lr\": 1}], \"scheduler\": {}, \"steps\": 1}"), 409,
				"step-refused");
	}

	private MvcTestResult preview(String body) {
		return json(this.mvc.post().uri("/api/v1/previews"), body);
	}

}
