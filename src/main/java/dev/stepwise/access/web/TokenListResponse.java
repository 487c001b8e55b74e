package dev.stepwise.access.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.access.AccessToken;
import io.swagger.v3.oas.annotations.media.Schema;

import org.springframework.data.domain.Page;

/**
 * One page of tokens, newest first, without secrets.
 *
 * @param items the tokens
 * @param page the page number, from 0
 * @param size the page size
 * @param totalItems how many tokens there are (revoked ones included)
 * @param totalPages how many pages there are
 */
@Schema(name = "TokenList", description = "One page of tokens, newest first, without secrets.")
record TokenListResponse(List<TokenResponse> items, int page, int size, @JsonProperty("total_items") long totalItems,
		@JsonProperty("total_pages") int totalPages) {

	static TokenListResponse of(Page<AccessToken> page) {
		return new TokenListResponse(page.getContent().stream().map((token) -> TokenResponse.of(token, null)).toList(),
				page.getNumber(), page.getSize(), page.getTotalElements(), page.getTotalPages());
	}

}
