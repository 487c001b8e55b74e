package dev.stepwise.system;
import java.util.List;

import dev.stepwise.scheduler.web.SchedulerSpecSchemas;
import dev.stepwise.system.ProblemResponses.Problem;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document served at {@code /v3/api-docs} (committed as {@code openapi/openapi.yaml}):
 * the API description with the choices made where the contract is silent, the scheduler spec as a
 * {@code oneOf} over every type, and the shared problem responses.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

	private static final String PROBLEM = "Problem";

	@Bean
	OpenAPI stepwiseOpenApi() {
		Components components = new Components().addSchemas(PROBLEM, problemSchema());
		for (Problem problem : Problem.values()) {
			components.addResponses(problem.responseName(), new ApiResponse().description(problem.description())
				.content(new Content().addMediaType("application/problem+json",
						new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
		}
		SchedulerSpecSchemas.addTo(components);
		return new OpenAPI()
			.info(new Info().title("Stepwise API")
				.version("1")
				.description(ApiDescription.TEXT)
				.license(new License().name("Apache-2.0")))
			.servers(List.of(new Server().url("/").description("This service")))
			.tags(List.of(new Tag().name("Schedulers").description("Register, read, list and delete schedulers."),
					new Tag().name("Steps").description("Step a scheduler and read the lr every rank must use."),
					new Tag().name("Checkpoints").description("History, resume from a checkpoint, state documents."),
					new Tag().name("Previews").description("Compute a schedule without storing it.")))
			.components(components);
	}

	/** Lists the problem responses of {@link ProblemResponses} under each operation. */
	@Bean
	OperationCustomizer problemResponses() {
		return (operation, handlerMethod) -> {
			ProblemResponses problems = handlerMethod.getMethodAnnotation(ProblemResponses.class);
			if (problems != null) {
				for (Problem problem : problems.value()) {
					operation.getResponses()
						.addApiResponse(problem.status(),
								new ApiResponse().$ref("#/components/responses/" + problem.responseName()));
				}
			}
			return operation;
		};
	}

	private static Schema<?> problemSchema() {
		ObjectSchema error = new ObjectSchema();
		error.addProperty("field", new StringSchema().description("Path of the argument, e.g. scheduler.gamma."));
		error.addProperty("message", new StringSchema().description("What is wrong with it."));
		ObjectSchema problem = new ObjectSchema();
		problem.description("An RFC 9457 problem. type is stable per kind of error: "
				+ "https://stepwise.dev/problems/{malformed-request, metric-required, invalid-argument, invalid-state,"
				+ " scheduler-not-found, not-found, epoch-conflict, registration-conflict, step-refused,"
				+ " payload-too-large, method-not-allowed, not-acceptable, unsupported-media-type,"
				+ " service-unavailable, internal-error}.");
		problem.addProperty("type", new StringSchema().format("uri")
			.example("https://stepwise.dev/problems/invalid-argument"));
		problem.addProperty("title", new StringSchema().example("Invalid argument"));
		problem.addProperty("status", new IntegerSchema().example(422));
		problem.addProperty("detail", new StringSchema());
		problem.addProperty("instance", new StringSchema().format("uri-reference"));
		problem.addProperty("errors", new ArraySchema().items(error).description("Argument problems, by field."));
		problem.addProperty("last_epoch",
				new IntegerSchema().format("int64").description("epoch-conflict: the scheduler's last_epoch."));
		problem.addProperty("expected_epoch",
				new IntegerSchema().format("int64").description("epoch-conflict of a gap: the epoch expected next."));
		return problem;
	}

}
