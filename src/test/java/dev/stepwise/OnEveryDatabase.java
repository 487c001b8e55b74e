package dev.stepwise;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class that must pass on every database the service supports:
 * {@code ./mvnw verify} runs it on H2 like every other test, and {@code .ci/run} runs the
 * classes tagged {@value #TAG} again on PostgreSQL ({@code -Dgroups=database}, Surefire
 * and Failsafe alike).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(OnEveryDatabase.TAG)
public @interface OnEveryDatabase {

	/** The JUnit tag, for {@code -Dgroups}. */
	String TAG = "database";

}
