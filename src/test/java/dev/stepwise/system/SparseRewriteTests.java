package dev.stepwise.system;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import org.h2.jdbcx.JdbcDataSource;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sparse rewrite reaches H2's chunk rewriting on the H2 this service ships with, and
 * rewrites only chunks at most {@value H2Housekeeping#SPARSE_CHUNK_FILL}% live, where
 * H2's own compaction would go on with the fuller ones.
 */
class SparseRewriteTests {

	private static final int WRITE_LIMIT = 4 * 1024 * 1024;

	@Test
	void reachesH2sChunkRewritingOnTheShippedH2() {
		assertThat(SparseRewrite.available()).isTrue();
	}

	@Test
	void rewritesTheSparseChunksOnly(@TempDir Path dir) throws Exception {
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL("jdbc:h2:file:" + dir.resolve("steps") + ";WRITE_DELAY=0");
		try (Connection connection = h2.getConnection()) {
			MVStore store = H2Housekeeping.embeddedStore(connection);
			assertThat(store).isNotNull();
			store.setRetentionTime(H2Housekeeping.RETENTION_MILLIS);
			// chunks about 60% live: rows written in one commit, their first 40% deleted
			try (Statement statement = connection.createStatement()) {
				statement.execute("create table bulk (id int primary key, payload varchar)");
				statement.execute("insert into bulk select x, repeat('x', 500) from system_range(1, 4000)");
				statement.execute("delete from bulk where id <= 1600");
			}
			// chunks mostly dead: a durable commit per step
			H2HousekeepingTests.commitSteps(connection, 3000);
			// chunks are rewritable once older than the retention time
			Thread.sleep(H2Housekeeping.RETENTION_MILLIS + 200);

			int passes = 0;
			while (passes < 1000 && SparseRewrite.rewrite(store, WRITE_LIMIT)) {
				store.commit();
				passes++;
			}
			// the chunks it emptied are freed once older than the retention time
			Thread.sleep(H2Housekeeping.RETENTION_MILLIS + 200);
			store.getFileStore().dropUnusedChunks();
			int fill = store.getFileStore().getChunksFillRate();

			assertThat(passes).as("passes until no sparse chunk was left").isBetween(1, 999);
			assertThat(fill).as("every chunk left is fuller than the sparse limit")
				.isGreaterThan(H2Housekeeping.SPARSE_CHUNK_FILL);
			// H2's own choice takes the fuller chunks too, until 80% overall
			assertThat(fill).isLessThan(80);
			assertThat(SparseRewrite.rewrite(store, WRITE_LIMIT)).isFalse();
			assertThat(store.compact(80, WRITE_LIMIT)).isTrue();
		}
	}

}
