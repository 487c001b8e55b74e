package dev.stepwise.scheduler.web;

import java.io.IOException;

import dev.stepwise.schedule.ScheduleState;
import dev.stepwise.scheduler.PreviewCommand;
import dev.stepwise.scheduler.PreviewService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Computes a schedule without registering it.
 */
@RestController
@Tag(name = "Previews")
class PreviewController {

	private static final Log log = LogFactory.getLog(PreviewController.class);

	private final PreviewService previews;

	private final JsonMapper jsonMapper;

	PreviewController(PreviewService previews, JsonMapper jsonMapper) {
		this.previews = previews;
		this.jsonMapper = jsonMapper;
	}

	@PostMapping(path = "/api/v1/previews", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Preview a schedule",
			description = "The states after registration and after each of steps steps, computed and not stored."
					+ " Same validation and errors as a registration; a step PyTorch refuses is 409 step-refused.")
	@ApiResponse(responseCode = "200", description = "steps + 1 states, written as they are computed.",
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(implementation = PreviewResponse.class)))
	@ProblemResponses({ ProblemType.MALFORMED_REQUEST, ProblemType.METRIC_REQUIRED, ProblemType.STEP_REFUSED,
			ProblemType.PAYLOAD_TOO_LARGE, ProblemType.INVALID_ARGUMENT, ProblemType.MEMORY_LIMIT_EXCEEDED,
			ProblemType.SERVICE_UNAVAILABLE })
	void preview(@Valid @RequestBody PreviewRequest request, HttpServletResponse response) throws IOException {
		PreviewCommand command = request.toCommand();
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		// opened lazily: an error before the first state is still an ordinary problem
		// answer
		JsonGenerator[] json = new JsonGenerator[1];
		try {
			this.previews.preview(command, (state) -> {
				if (json[0] == null) {
					json[0] = open(response);
				}
				write(json[0], state, !command.consumed().isEmpty());
			});
			json[0].writeEndArray();
			json[0].writeEndObject();
			json[0].close();
		}
		catch (JacksonException ex) {
			if (json[0] == null) {
				throw ex;
			}
			// the answer had begun and could not be written on: the client went away
			log.debug("Preview answer not delivered: " + ex.getMessage());
		}
	}

	/**
	 * One {@link PreviewResponse.State}, written value by value: a preview's answer is up
	 * to 2^18 groups' values, and the records and boxed numbers of each allocated about
	 * 100 bytes a value.
	 */
	private static void write(JsonGenerator json, ScheduleState state, boolean counted) {
		json.writeStartObject();
		json.writeNumberProperty("last_epoch", state.lastEpoch());
		if (counted) {
			json.writeNumberProperty("consumed", state.consumed());
		}
		json.writeName("param_groups");
		json.writeStartArray();
		for (int group = 0; group < state.groupCount(); group++) {
			json.writeStartObject();
			json.writeNumberProperty("lr", state.lr(group));
			json.writeName("momentum");
			if (state.hasMomentum(group)) {
				json.writeNumber(state.momentum(group));
			}
			else {
				json.writeNull();
			}
			json.writeEndObject();
		}
		json.writeEndArray();
		json.writeEndObject();
	}

	private JsonGenerator open(HttpServletResponse response) {
		try {
			JsonGenerator json = this.jsonMapper.createGenerator(response.getOutputStream());
			json.writeStartObject();
			json.writeName("states");
			json.writeStartArray();
			return json;
		}
		catch (IOException ex) {
			throw JacksonIOException.construct(ex);
		}
	}

}
