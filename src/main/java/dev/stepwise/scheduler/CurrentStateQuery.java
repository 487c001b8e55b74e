package dev.stepwise.scheduler;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The hot path of {@code GET .../lr}: one indexed SELECT of the four columns the answer needs, in plain
 * JDBC (no persistence context, no state document parsed).
 */
@Component
class CurrentStateQuery {

	private static final String SQL = "select id, last_epoch, param_groups_json, version from scheduler"
			+ " where public_id = ?";

	private final JdbcClient jdbc;

	CurrentStateQuery(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<CurrentRow> find(String publicId) {
		return this.jdbc.sql(SQL)
			.param(publicId)
			.query((rs, row) -> new CurrentRow(rs.getLong(1), publicId, rs.getLong(2), rs.getString(3), rs.getLong(4)))
			.optional();
	}

}
