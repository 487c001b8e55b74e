package dev.stepwise.access;

/**
 * No token has this id.
 */
public class TokenNotFoundException extends RuntimeException {

	TokenNotFoundException(String id) {
		super("No token has id '" + id + "'.");
	}

}
