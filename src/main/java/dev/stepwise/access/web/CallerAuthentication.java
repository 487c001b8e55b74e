package dev.stepwise.access.web;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.stepwise.access.Caller;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An authenticated request: its name is the token's id, its one authority the token's
 * role ({@code ADMIN}, {@code TOKEN}, {@code METRICS}). It holds no secret.
 */
final class CallerAuthentication extends AbstractAuthenticationToken {

	/** Each role's authorities, made once rather than per request. */
	private static final Map<Caller.Role, List<GrantedAuthority>> AUTHORITIES = Arrays.stream(Caller.Role.values())
		.collect(Collectors.toUnmodifiableMap(Function.identity(),
				(role) -> List.of(new SimpleGrantedAuthority(role.name()))));

	private final Caller caller;

	CallerAuthentication(Caller caller) {
		super(AUTHORITIES.get(caller.role()));
		this.caller = caller;
		setAuthenticated(true);
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public Object getPrincipal() {
		return this.caller;
	}

	@Override
	public String getName() {
		return this.caller.tokenId();
	}

}
