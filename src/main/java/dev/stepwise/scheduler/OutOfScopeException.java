package dev.stepwise.scheduler;

/**
 * A request for a scheduler outside the caller's scope (403). It names the id asked for
 * and the scope, never whether a scheduler has that id: the scope is checked before any
 * lookup.
 */
public class OutOfScopeException extends RuntimeException {

	public OutOfScopeException(String id, IdScope scope) {
		super(scope.matches(id)
				? "The token has read access to '" + scope.pattern() + "': it may not change scheduler '" + id + "'."
				: "Scheduler '" + id + "' is outside the token's scope '" + scope.pattern() + "'.");
	}

	/**
	 * Refuses unless {@code scope} (when there is one) permits the request on {@code id}.
	 */
	public static void check(IdScope scope, String id, boolean writes) {
		if (!(writes ? scope.mayWrite(id) : scope.mayRead(id))) {
			throw new OutOfScopeException(id, scope);
		}
	}

}
