package dev.stepwise.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import org.springframework.stereotype.Component;

/**
 * Makes an H2 database write every commit to its file before the commit returns
 * ({@code SET WRITE_DELAY 0}), whatever JDBC URL configured it: H2's default delay would
 * lose acknowledged steps when the JVM is killed. The setting is persistent and
 * database-wide; it is applied before every migration run, that is at every start.
 */
@Component
class H2DurableCommits extends BaseCallback {

	private static final Log logger = LogFactory.getLog(H2DurableCommits.class);

	@Override
	public boolean supports(Event event, Context context) {
		return event == Event.BEFORE_MIGRATE;
	}

	@Override
	public boolean canHandleInTransaction(Event event, Context context) {
		return true;
	}

	@Override
	public void handle(Event event, Context context) {
		Connection connection = context.getConnection();
		try {
			if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
				return;
			}
			try (Statement statement = connection.createStatement()) {
				statement.execute("SET WRITE_DELAY 0");
			}
		}
		catch (SQLException ex) {
			logger.warn("Could not make H2 write commits at once (SET WRITE_DELAY 0 needs an admin user): "
					+ "a killed process may lose its last acknowledged steps", ex);
		}
	}

	@Override
	public String getCallbackName() {
		return "h2-durable-commits";
	}

}
