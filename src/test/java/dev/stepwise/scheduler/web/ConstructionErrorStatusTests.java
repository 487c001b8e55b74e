package dev.stepwise.scheduler.web;

import dev.stepwise.schedule.Schedule;
import dev.stepwise.scheduler.PreviewCommand;
import dev.stepwise.scheduler.PreviewService;
import dev.stepwise.scheduler.Registration;
import dev.stepwise.scheduler.RegistrationResult;
import dev.stepwise.scheduler.SchedulerService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.stepwise.scheduler.web.ProblemAssertions.assertField;
import static dev.stepwise.scheduler.web.ProblemAssertions.assertProblem;
import static dev.stepwise.scheduler.web.ProblemAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;

/**
 * The status codes of what the engine refuses at registration and preview, with the
 * services answering through the real engine: what PyTorch or Hugging Face raise while
 * building a scheduler is 422 (never 409, a step refusal), an unexpected keyword is 400
 * even when it is the misspelling of a required one, and arguments with which no step
 * could be taken are 422 at once.
 */
@ApiSliceTest
class ConstructionErrorStatusTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private SchedulerService schedulers;

	@Autowired
	private PreviewService previews;

	@BeforeEach
	void answerThroughTheEngine() {
		given(this.schedulers.register(any())).willAnswer((invocation) -> {
			Registration registration = invocation.getArgument(0);
			Schedule.of(registration.scheduler(), registration.paramGroups())
				.start(Math.max(0, registration.lastEpoch()));
			return new RegistrationResult(SchedulerControllerTests.details(), true);
		});
		willAnswer((invocation) -> {
			PreviewCommand command = invocation.getArgument(0);
			Schedule.of(command.scheduler(), command.paramGroups()).start(Math.max(0, command.lastEpoch()));
			return null;
		}).given(this.previews).preview(any(), any());
	}

	@Test
	void minLrOverAZeroFirstLrIs422AtRegistrationAndPreview() {
		String scheduler = """
				{"type": "cosine_with_min_lr", "num_warmup_steps": 2, "num_training_steps": 10, "min_lr": 0.001}""";
		assertField(register("[{\"lr\": 0.0}]", scheduler), 422, "scheduler.min_lr", null);
		assertField(preview("[{\"lr\": 0.0}]", scheduler), 422, "scheduler.min_lr", null);
		assertThat(register("[{\"lr\": 0.1}]", scheduler)).hasStatus(201);
	}

	@Test
	void minLrOverAZeroFirstLrIs422InsideComposites() {
		String warmup = """
				{"type": "cosine_warmup_with_min_lr", "num_warmup_steps": 2, "num_training_steps": 10, "min_lr": 0.001}""";
		assertField(register("[{\"lr\": 0}, {\"lr\": 0.1}]",
				"{\"type\": \"ChainedScheduler\", \"schedulers\": [{\"type\": \"ExponentialLR\", \"gamma\": 0.9}, "
						+ warmup + "]}"),
				422, "scheduler.schedulers[1].min_lr", null);
		assertField(
				preview("[{\"lr\": 0}]",
						"{\"type\": \"SequentialLR\", \"milestones\": [3], \"schedulers\": ["
								+ "{\"type\": \"LinearLR\"}, " + warmup + "]}"),
				422, "scheduler.schedulers[1].min_lr", null);
	}

	@Test
	void misspeltRequiredHuggingFaceArgumentIs400() {
		MvcTestResult result = register("[{\"lr\": 0.1}]",
				"{\"type\": \"linear\", \"num_warmup_step\": 3, \"num_training_steps\": 9}");
		assertField(result, 400, "scheduler.num_warmup_step",
				"linear got an unexpected keyword argument 'num_warmup_step'; did you mean 'num_warmup_steps'?");
		assertProblem(preview("[{\"lr\": 0.1}]", "{\"type\": \"cosine\", \"num_warmup_steps\": 3, \"num_cycles\": 1}"),
				422, "invalid-argument");
		assertField(preview("[{\"lr\": 0.1}]", "{\"type\": \"cosine\", \"num_training_step\": 3, \"num_cycles\": 1}"),
				400, "scheduler.num_training_step", null);
	}

	@Test
	void lastEpochInsideTheSchedulerSpecIs400() {
		assertField(register("[{\"lr\": 0.1}]", "{\"type\": \"StepLR\", \"step_size\": 3, \"last_epoch\": 5}"), 400,
				"scheduler.last_epoch",
				"StepLR got an unexpected keyword argument 'last_epoch'; it takes gamma, step_size");
	}

	@Test
	void argumentsWithWhichNoStepCanBeTakenAre422AtRegistration() {
		assertField(register("[{\"lr\": 0.1}]", "{\"type\": \"StepLR\", \"step_size\": 0}"), 422, "scheduler.step_size",
				null);
		assertField(register("[{\"lr\": 0.1}]", "{\"type\": \"CosineAnnealingLR\", \"T_max\": 0}"), 422,
				"scheduler.T_max", null);
		assertField(register("[{\"lr\": 0.1}]", "{\"type\": \"MultiplicativeLR\", \"lr_lambda\": \"1 / 0\"}"), 422,
				"scheduler.lr_lambda", null);
		assertField(
				preview("[{\"lr\": 0.1}]", "{\"type\": \"ChainedScheduler\", \"schedulers\": ["
						+ "{\"type\": \"ExponentialLR\", \"gamma\": 0.9}, {\"type\": \"StepLR\", \"step_size\": 0}]}"),
				422, "scheduler.schedulers[1].step_size", null);
		assertThat(register("[{\"lr\": 0.1}]", "{\"type\": \"StepLR\", \"step_size\": -2}")).hasStatus(201);
	}

	private MvcTestResult register(String groups, String scheduler) {
		return json(this.mvc.post().uri("/api/v1/schedulers"),
				"{\"param_groups\": " + groups + ", \"scheduler\": " + scheduler + "}");
	}

	private MvcTestResult preview(String groups, String scheduler) {
		return json(this.mvc.post().uri("/api/v1/previews"),
				"{\"param_groups\": " + groups + ", \"scheduler\": " + scheduler + ", \"steps\": 3}");
	}

}
