package dev.stepwise.access.web;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.scheduler.IdScope;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/tokens}.
 *
 * @param name what the token is for
 * @param scope the scheduler ids it covers
 * @param access {@code read} or {@code write}
 * @param expiresAt when it stops being accepted (absent: never)
 */
@Schema(name = "MintTokenRequest", description = "A token to mint.")
record MintTokenRequest(
		@Schema(description = "What the token is for (shown in the listing), 1 to 200 printable characters.",
				example = "resnet50 training jobs",
				requiredMode = Schema.RequiredMode.REQUIRED) @NotNull @Pattern(regexp = "[^\\p{Cntrl}]{1,200}",
						message = "must be 1 to 200 characters, no control characters") @Nullable String name,
		@Schema(description = "The scheduler ids the token covers: an id in which * stands for any run of id"
				+ " characters (none included), e.g. resnet50-* (resnet50-run17, resnet50-), *-eval, or * (every id);"
				+ " other characters match themselves, case-sensitively. 1 to 128 of A-Z a-z 0-9 . _ - *.",
				example = "resnet50-*",
				requiredMode = Schema.RequiredMode.REQUIRED) @NotNull @Pattern(regexp = IdScope.PATTERN,
						message = "must be 1 to 128 of the characters A-Z a-z 0-9 . _ - and the wildcard *") @Nullable String scope,
		@Schema(description = "read: read the schedulers in scope (lr, state, history, attempts, details, list) and"
				+ " preview; write: also register, step, resume, restore the state of and delete them.",
				allowableValues = {
						"read", "write" },
				requiredMode = Schema.RequiredMode.REQUIRED) @NotNull @Pattern(regexp = "read|write",
						message = "must be read or write") @Nullable String access,
		@Schema(description = "When the token stops being accepted (RFC 3339), in the future; absent: never.",
				example = "2027-01-01T00:00:00Z",
				nullable = true) @JsonProperty("expires_at") @Nullable Instant expiresAt){

}
