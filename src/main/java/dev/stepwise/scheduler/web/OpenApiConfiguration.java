package dev.stepwise.scheduler.web;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;

/**
 * The OpenAPI document served at {@code /v3/api-docs} (committed as
 * {@code openapi/openapi.yaml}): the API description with the choices made where the
 * contract is silent, the scheduler spec as a {@code oneOf} over every type, and the
 * shared problem responses.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	private static final String PROBLEM = "Problem";

	private static final String RATE_LIMITED = "RateLimited";

	private static final String BEARER = "bearer";

	@Bean
	OpenAPI stepwiseOpenApi() {
		Components components = new Components().addSchemas(PROBLEM, problemSchema())
			.addResponses(RATE_LIMITED, rateLimitedResponse())
			.addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
				.scheme("bearer")
				.description("A token minted by POST /api/v1/tokens, or the admin token (STEPWISE_AUTH_ADMIN_TOKEN)."
						+ " Needed only when authentication is on."));
		SchedulerSpecSchemas.addTo(components);
		return new OpenAPI()
			.info(new Info().title("Stepwise API")
				.version("1")
				.description(ApiDescription.text())
				.license(new License().name("Apache-2.0")))
			.servers(List.of(new Server().url("/").description("This service")))
			.tags(List.of(new Tag().name("Schedulers").description("Register, read, list and delete schedulers."),
					new Tag().name("Steps").description("Step a scheduler and read the lr every rank must use."),
					new Tag().name("Checkpoints").description("History, resume from a checkpoint, state documents."),
					new Tag().name("Previews").description("Compute a schedule without storing it."),
					new Tag().name("Tokens").description("Mint, list and revoke access tokens (admin token only).")))
			.components(components);
	}

	/**
	 * Lists the problem types of {@link ProblemResponses} under each operation, one
	 * response per status, the rate limit's 429 (one shared response) under every
	 * operation (all of them are under {@code /api}), and the bearer token's 401 and 403
	 * that every operation may answer when authentication is on.
	 */
	@Bean
	OperationCustomizer problemResponses() {
		return (operation, handlerMethod) -> {
			operation.addSecurityItem(new SecurityRequirement().addList(BEARER));
			ProblemResponses problems = handlerMethod.getMethodAnnotation(ProblemResponses.class);
			if (problems != null) {
				Map<Integer, List<ProblemType>> byStatus = Stream
					.concat(Stream.of(problems.value()), Stream.of(ProblemType.UNAUTHORIZED, ProblemType.FORBIDDEN))
					.collect(Collectors.groupingBy((type) -> type.status().value(), LinkedHashMap::new,
							Collectors.toList()));
				byStatus.forEach((status, types) -> operation.getResponses()
					.addApiResponse(String.valueOf(status), problemResponse(types)));
			}
			operation.getResponses()
				.addApiResponse(String.valueOf(ProblemType.RATE_LIMITED.status().value()),
						new ApiResponse().$ref("#/components/responses/" + RATE_LIMITED));
			return operation;
		};
	}

	private static ApiResponse problemResponse(List<ProblemType> types) {
		String description = types.stream()
			.map((type) -> type.slug() + ": " + type.meaning())
			.collect(Collectors.joining("; ", types.get(0).status().getReasonPhrase() + ". ", "."));
		return new ApiResponse().description(description)
			.content(new Content().addMediaType("application/problem+json",
					new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
	}

	/** The 429 of the rate limit, which every operation may answer. */
	private static ApiResponse rateLimitedResponse() {
		return problemResponse(List.of(ProblemType.RATE_LIMITED)).addHeaderObject(HttpHeaders.RETRY_AFTER,
				new Header().description("Whole seconds (at least 1) until the client's bucket has a token again.")
					.schema(new IntegerSchema().minimum(BigDecimal.ONE)));
	}

	private static Schema<?> problemSchema() {
		ObjectSchema error = new ObjectSchema();
		error.addProperty("field", new StringSchema().description("Path of the argument, e.g. scheduler.gamma."));
		error.addProperty("message", new StringSchema().description("What is wrong with it."));
		ObjectSchema problem = new ObjectSchema();
		problem.description("An RFC 9457 problem. type is stable per kind of error: " + ProblemType.BASE
				+ Stream.of(ProblemType.values()).map(ProblemType::slug).collect(Collectors.joining(", ", "{", "}.")));
		problem.addProperty("type",
				new StringSchema().format("uri").example("https://stepwise.dev/problems/invalid-argument"));
		problem.addProperty("title", new StringSchema().example("Invalid argument"));
		problem.addProperty("status", new IntegerSchema().example(422));
		problem.addProperty("detail", new StringSchema());
		problem.addProperty("instance", new StringSchema().format("uri-reference"));
		problem.addProperty("errors", new ArraySchema().items(error).description("Argument problems, by field."));
		problem.addProperty("last_epoch",
				new IntegerSchema().format("int64").description("epoch-conflict: the scheduler's last_epoch."));
		problem.addProperty("attempt", new StringSchema().nullable(true)
			.description("stale-attempt: the scheduler's current attempt (null when it has none)."));
		problem.addProperty("expected_epoch",
				new IntegerSchema().format("int64").description("epoch-conflict of a gap: the epoch expected next."));
		problem.addProperty("estimate_bytes", new IntegerSchema().format("int64")
			.description("memory-limit-exceeded: the memory the request would hold, estimated."));
		problem.addProperty("limit_bytes",
				new IntegerSchema().format("int64").description("memory-limit-exceeded: the memory budget."));
		problem.addProperty("limit", new NumberSchema()
			.description("rate-limited: the requests per second the client may send (beyond its burst)."));
		problem.addProperty("retry_after", new IntegerSchema().format("int64")
			.description("rate-limited: the seconds until the client may send again, as in Retry-After."));
		return problem;
	}

}
