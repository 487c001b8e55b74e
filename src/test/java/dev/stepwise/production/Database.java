package dev.stepwise.production;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

/**
 * The database a {@link ServiceProcess} runs on: the default H2 file database in its data
 * dir, or the PostgreSQL database named by {@code STEPWISE_DATABASE_URL} with the
 * {@code postgres} profile.
 *
 * @param name a short name for logs and messages
 * @param postgres whether this is PostgreSQL (the child keeps the
 * {@code STEPWISE_DATABASE_*} variables) or H2 (the child gets none of them)
 * @param args extra arguments for the service
 */
record Database(String name, boolean postgres, List<String> args) {

	static final String URL_VARIABLE = "STEPWISE_DATABASE_URL";

	/**
	 * The postgres profile requires authentication: tests run without unless they ask.
	 */
	private static final String AUTH_OFF = "--stepwise.auth.enabled=false";

	private static final List<String> DATABASE_VARIABLES = List.of(URL_VARIABLE, "STEPWISE_DATABASE_USERNAME",
			"STEPWISE_DATABASE_PASSWORD", "SPRING_PROFILES_ACTIVE", "SPRING_DATASOURCE_URL",
			"SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD");

	/** The H2 file database in the service's data dir, whatever the environment says. */
	static Database h2() {
		return new Database("h2", false, List.of());
	}

	/**
	 * PostgreSQL from {@code STEPWISE_DATABASE_URL}, {@code _USERNAME},
	 * {@code _PASSWORD}; aborts the calling test when the URL is not set.
	 */
	static Database postgresOrAbort() {
		String url = System.getenv(URL_VARIABLE);
		if (url == null || url.isBlank()) {
			Assumptions.abort(URL_VARIABLE + " is not set: this test needs a PostgreSQL database "
					+ "(.ci/run starts one and sets STEPWISE_DATABASE_URL, _USERNAME and _PASSWORD)");
		}
		return new Database("postgres", true, List.of("--spring.profiles.active=postgres", AUTH_OFF));
	}

	/**
	 * The database the build is pointed at: PostgreSQL when {@code STEPWISE_DATABASE_URL}
	 * is set (as in {@code .ci/run}'s second pass), otherwise the H2 file database.
	 */
	static Database configured() {
		String url = System.getenv(URL_VARIABLE);
		return (url == null || url.isBlank()) ? h2() : postgresOrAbort();
	}

	/** This database with authentication on, with this admin token. */
	Database withAdminToken(String adminToken) {
		List<String> all = new java.util.ArrayList<>(this.args);
		all.remove(AUTH_OFF);
		all.add("--stepwise.auth.admin-token=" + adminToken);
		return new Database(this.name, this.postgres, List.copyOf(all));
	}

	/** Adjusts a child process's environment for this database. */
	void applyTo(Map<String, String> environment) {
		if (!this.postgres) {
			DATABASE_VARIABLES.forEach(environment::remove);
		}
	}

}
