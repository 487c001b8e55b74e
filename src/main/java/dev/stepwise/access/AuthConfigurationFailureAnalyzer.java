package dev.stepwise.access;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a misconfigured authentication into Boot's "APPLICATION FAILED TO START" report
 * (what is wrong, what to set) instead of a stack trace.
 */
class AuthConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<AuthConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, AuthConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage().replace(" " + cause.action(), ""), cause.action(), cause);
	}

}
