package dev.stepwise.access;

/**
 * A token as minted: the only time its secret is known to the service.
 *
 * @param token the token
 * @param secret the bearer secret
 */
public record MintedToken(AccessToken token, String secret) {

}
