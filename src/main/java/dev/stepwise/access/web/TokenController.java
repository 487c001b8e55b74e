package dev.stepwise.access.web;

import java.net.URI;

import dev.stepwise.access.MintedToken;
import dev.stepwise.access.TokenNotFoundException;
import dev.stepwise.access.TokenService;
import dev.stepwise.scheduler.Limits;
import dev.stepwise.scheduler.web.ProblemResponses;
import dev.stepwise.scheduler.web.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Token management, with the admin token (the security filter chain lets no other
 * through). With authentication off it refuses: a token minted then would be valid once
 * authentication is turned on, minted by anyone.
 */
@RestController
@RequestMapping(path = "/api/v1/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Tokens")
class TokenController {

	private final TokenService tokens;

	TokenController(TokenService tokens) {
		this.tokens = tokens;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "mintToken", summary = "Mint a token",
			description = "Admin token only. The answer holds the secret, once: only its SHA-256 is stored. A write"
					+ " token may register, step, resume, restore the state of and delete the schedulers its scope"
					+ " matches, and read them; a read token may only read them (for dashboards). Every rank of a job"
					+ " uses the same token (STEPWISE_TOKEN).")
	@ApiResponse(responseCode = "201", description = "Minted; the secret is in this answer only.")
	@ProblemResponses({ ProblemType.MALFORMED_REQUEST, ProblemType.INVALID_ARGUMENT })
	ResponseEntity<TokenResponse> mint(@Valid @RequestBody MintTokenRequest request) {
		requireAuthOn();
		MintedToken minted = this.tokens.mint(String.valueOf(request.name()), String.valueOf(request.scope()),
				"write".equals(request.access()), request.expiresAt());
		URI location = ServletUriComponentsBuilder.fromCurrentRequestUri()
			.path("/{id}")
			.buildAndExpand(minted.token().id())
			.toUri();
		return ResponseEntity.created(location).body(TokenResponse.of(minted.token(), minted.secret()));
	}

	@GetMapping
	@Operation(operationId = "listTokens", summary = "List tokens",
			description = "Admin token only. Paged, newest first, revoked and expired ones included; never a secret.")
	@ApiResponse(responseCode = "200", description = "One page.")
	@ProblemResponses({ ProblemType.MALFORMED_REQUEST, ProblemType.INVALID_ARGUMENT })
	TokenListResponse list(
			@Parameter(description = "Page number, from 0.") @RequestParam(
					defaultValue = "0") @Min(0) @Max(1_000_000) int page,
			@Parameter(description = "Page size, 1 to " + Limits.MAX_PAGE_SIZE + ".") @RequestParam(
					defaultValue = "20") @Min(1) @Max(Limits.MAX_PAGE_SIZE) int size) {
		requireAuthOn();
		return TokenListResponse.of(this.tokens.list(page, size));
	}

	@DeleteMapping("/{id}")
	@Operation(operationId = "revokeToken", summary = "Revoke a token",
			description = "Admin token only. From the answer on, every replica refuses the token (401 invalid_token):"
					+ " tokens are looked up in the database on every request, not cached. Revoking a revoked token"
					+ " answers 204 again.")
	@ApiResponse(responseCode = "204", description = "Revoked.", content = @Content)
	@ProblemResponses({ ProblemType.NOT_FOUND })
	ResponseEntity<Void> revoke(@PathVariable String id) {
		requireAuthOn();
		try {
			this.tokens.revoke(id);
		}
		catch (TokenNotFoundException ex) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, ex.getMessage());
		}
		return ResponseEntity.noContent().build();
	}

	private void requireAuthOn() {
		if (!this.tokens.authenticationOn()) {
			throw new ResponseStatusException(HttpStatus.FORBIDDEN,
					"Authentication is off: tokens are minted and used only with an admin token set"
							+ " (STEPWISE_AUTH_ADMIN_TOKEN).");
		}
	}

}
