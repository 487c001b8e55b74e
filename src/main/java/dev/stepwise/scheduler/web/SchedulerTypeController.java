package dev.stepwise.scheduler.web;

import java.util.concurrent.TimeUnit;

import dev.stepwise.schedule.SchedulerCatalogue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The scheduler types and their arguments, from the engine's catalogue: what the designer
 * builds its forms from, so that they offer exactly what the API validates.
 */
@RestController
@Tag(name = "Previews")
class SchedulerTypeController {

	/** The catalogue never changes while the process runs: built once. */
	private static final SchedulerTypesResponse TYPES = SchedulerTypesResponse.of(SchedulerCatalogue.all());

	/** Changes when a new version's catalogue does. */
	private static final String ETAG = "\"types-" + Integer.toHexString(TYPES.hashCode()) + "\"";

	@GetMapping(path = "/api/v1/scheduler-types", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "List the scheduler types",
			description = "Every type the API takes, with each keyword argument as the API validates it: its JSON"
					+ " shape (kind), whether it is required, its default and what it means. Cacheable: it changes only"
					+ " with the service's version (ETag; If-None-Match gives 304).")
	@ApiResponse(responseCode = "200", description = "The types, PyTorch's, then Hugging Face's, then DeepSpeed's.")
	@ApiResponse(responseCode = "304", description = "Not modified since the ETag sent.", content = @Content)
	ResponseEntity<SchedulerTypesResponse> types(
			@RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable String ifNoneMatch) {
		// private: with authentication on, a shared cache must not answer for the token
		CacheControl cache = CacheControl.maxAge(1, TimeUnit.HOURS).cachePrivate();
		if (ETags.matches(ifNoneMatch, ETAG)) {
			return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(ETAG).cacheControl(cache).build();
		}
		return ResponseEntity.ok().eTag(ETAG).cacheControl(cache).body(TYPES);
	}

}
