package dev.stepwise.access;

/**
 * A bearer token that is not accepted; the message says why (unknown, expired, revoked)
 * and never holds the token.
 */
public class InvalidTokenException extends RuntimeException {

	InvalidTokenException(String message) {
		super(message);
	}

}
