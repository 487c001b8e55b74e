package dev.stepwise.system;

import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * Tells the connection pool to drop a connection whose H2 database is gone. H2 closes an
 * embedded database when a write fails (a full disk): its connections then fail for good,
 * and their SQL states are not the ones Hikari recognises as a broken connection. A new
 * connection opens the database again, once the disk allows it, so the service recovers
 * without a restart. Set as
 * {@code spring.datasource.hikari.exception-override-class-name}.
 */
public class H2ConnectionEviction implements SQLExceptionOverride {

	@java.lang.Override
	public SQLExceptionOverride.Override adjudicate(SQLException ex) {
		if (StorageFailures.isH2StorageFailure(ex)) {
			return SQLExceptionOverride.Override.MUST_EVICT;
		}
		return SQLExceptionOverride.Override.CONTINUE_EVICT;
	}

}
