package dev.stepwise.access.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import dev.stepwise.access.AuthProperties;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Announces each revocation to every replica and brings every replica's to this replica's
 * {@link TokenCache} at once, or keeps the cache off.
 * <ul>
 * <li>Embedded H2 (a file or memory URL without {@code AUTO_SERVER}): this process owns
 * the database, so a revocation can only happen here, and clears the cache on its commit.
 * The cache is on.</li>
 * <li>PostgreSQL: a revocation on any replica is a {@code NOTIFY} on {@value #CHANNEL} in
 * its transaction, delivered on commit. A thread holds its own connection (outside the
 * pool) that listens on the channel, clears the cache on every notification and
 * acknowledges it; the revoking replica answers once every listening replica acknowledged
 * (at most a second). The cache is on only while that connection listens: when it fails,
 * the cache is cleared and off (every request reads its token) until the thread has
 * listened again, retrying every second. It checks the connection every second as it
 * waits.</li>
 * <li>Any other database: the cache stays off.</li>
 * </ul>
 */
@Component
public class TokenRevocations implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(TokenRevocations.class);

	/** The channel revocations are announced on, with a revocation id. */
	static final String CHANNEL = "stepwise_token_revoked";

	/** The channel each replica confirms on that it cleared its cache, with that id. */
	static final String ACK_CHANNEL = "stepwise_token_revoked_ack";

	/** At most this many revocations awaited at once (a token is revoked by hand). */
	private static final int MAX_PENDING = 1024;

	/** The listening connection's application_name (pg_stat_activity). */
	static final String APPLICATION_NAME = "stepwise-token-revocations";

	private static final int WAIT_MILLIS = 1000;

	private final TokenCache cache;

	private final DataSource dataSource;

	private final DataSourceProperties properties;

	private final Database database;

	private final boolean authenticationOn;

	/** The acknowledgements of the revocations this replica awaits, by revocation id. */
	private final Map<String, Integer> acknowledged = new HashMap<>();

	private volatile boolean running;

	private @Nullable Thread thread;

	/** How revocations reach the other replicas. */
	enum Database {

		/** One process owns the database: there are no other replicas. */
		EMBEDDED,

		/** {@code NOTIFY} and {@code LISTEN}. */
		POSTGRESQL,

		/** No way: the cache stays off. */
		OTHER

	}

	TokenRevocations(TokenCache cache, DataSource dataSource, DataSourceProperties properties, AuthProperties auth) {
		this.cache = cache;
		this.authenticationOn = auth.on();
		this.dataSource = dataSource;
		this.properties = properties;
		this.database = database(dataSource);
	}

	private static Database database(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			String product = connection.getMetaData().getDatabaseProductName();
			if ("PostgreSQL".equals(product)) {
				return Database.POSTGRESQL;
			}
			return embeddedH2(product, connection.getMetaData().getURL()) ? Database.EMBEDDED : Database.OTHER;
		}
		catch (SQLException ex) {
			logger.warn("Cannot tell the database: the token cache stays off", ex);
			return Database.OTHER;
		}
	}

	/**
	 * Announces a revocation in the current transaction: the other replicas hear it on
	 * commit, and this one clears its cache then. On PostgreSQL the revocation answers
	 * only once every replica that listened when it was made has cleared its cache and
	 * said so (a {@code NOTIFY} on {@value #ACK_CHANNEL} with the revocation's id), or
	 * after {@value #WAIT_MILLIS} ms, so the client's next request finds no replica with
	 * the token cached.
	 */
	void announce(JdbcClient jdbc) {
		String revocation = UUID.randomUUID().toString();
		int listeners = 0;
		if (this.database == Database.POSTGRESQL) {
			listeners = jdbc
				.sql("select count(*) from pg_stat_activity where application_name = ?"
						+ " and datname = current_database()")
				.param(APPLICATION_NAME)
				.query(Integer.class)
				.single();
			// pg_notify returns void: read the row, not a value
			jdbc.sql("select pg_notify(?, ?)").param(CHANNEL).param(revocation).query().listOfRows();
		}
		int expected = listeners;
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCompletion(int status) {
				TokenRevocations.this.cache.clear();
				if (status == STATUS_COMMITTED && expected > 0) {
					awaitAcknowledgements(revocation, expected);
				}
			}
		});
	}

	private void awaitAcknowledgements(String revocation, int expected) {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
		synchronized (this.acknowledged) {
			try {
				long left;
				while (this.acknowledged.getOrDefault(revocation, 0) < expected
						&& (left = deadline - System.nanoTime()) > 0) {
					TimeUnit.NANOSECONDS.timedWait(this.acknowledged, left);
				}
				if (this.acknowledged.getOrDefault(revocation, 0) < expected) {
					logger
						.warn("A token revocation was acknowledged by " + this.acknowledged.getOrDefault(revocation, 0)
								+ " of " + expected + " replicas within " + WAIT_MILLIS + " ms");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				this.acknowledged.remove(revocation);
			}
		}
	}

	private void acknowledged(String revocation) {
		synchronized (this.acknowledged) {
			// bounded: only revocations this replica awaits stay, and each is removed
			if (this.acknowledged.size() < MAX_PENDING) {
				this.acknowledged.merge(revocation, 1, Integer::sum);
			}
			this.acknowledged.notifyAll();
		}
	}

	@Override
	public void start() {
		this.running = true;
		if (!this.authenticationOn) {
			return;
		}
		switch (this.database) {
			case EMBEDDED -> this.cache.live(true);
			case POSTGRESQL -> {
				Thread listener = new Thread(this::listen, "token-revocations");
				listener.setDaemon(true);
				this.thread = listener;
				listener.start();
			}
			case OTHER -> logger.info("Token cache off: this database cannot announce revocations to every replica");
		}
	}

	/** Before the web server takes requests. */
	@Override
	public int getPhase() {
		return 0;
	}

	static boolean embeddedH2(String product, String url) {
		String lower = url.toLowerCase(Locale.ROOT);
		return "H2".equals(product) && !lower.contains("auto_server=true")
				&& (lower.startsWith("jdbc:h2:file:") || lower.startsWith("jdbc:h2:mem:")
						|| lower.startsWith("jdbc:h2:~") || lower.startsWith("jdbc:h2:./")
						|| lower.startsWith("jdbc:h2:/"));
	}

	private void listen() {
		try {
			listenUntilStopped();
		}
		finally {
			// whatever ended the thread, no stale token may be served from now on
			this.cache.live(false);
		}
	}

	private void listenUntilStopped() {
		while (this.running) {
			try (Connection connection = DriverManager.getConnection(this.properties.determineUrl(), listener())) {
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN " + CHANNEL);
					statement.execute("LISTEN " + ACK_CHANNEL);
				}
				PGConnection notifications = connection.unwrap(PGConnection.class);
				this.cache.live(true);
				logger.debug("Listening for token revocations");
				while (this.running) {
					PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
					for (PGNotification notification : (received != null) ? received : new PGNotification[0]) {
						if (CHANNEL.equals(notification.getName())) {
							this.cache.clear();
							acknowledge(connection, notification.getParameter());
						}
						else {
							acknowledged(notification.getParameter());
						}
					}
					if (!connection.isValid(WAIT_MILLIS / 1000)) {
						throw new SQLException("The revocation listener's connection is no longer valid");
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				this.cache.live(false);
				if (this.running) {
					logger.warn(
							"Token revocations not heard (token cache off until listening again): " + ex.getMessage());
					pause();
				}
			}
		}
	}

	/** Tells the revoking replica that this one's cache is clear. */
	private static void acknowledge(Connection connection, String revocation) throws SQLException {
		try (PreparedStatement notify = connection.prepareStatement("select pg_notify(?, ?)")) {
			notify.setString(1, ACK_CHANNEL);
			notify.setString(2, revocation);
			notify.execute();
		}
	}

	private Properties listener() {
		Properties connection = new Properties();
		String user = this.properties.determineUsername();
		String password = this.properties.determinePassword();
		if (user != null) {
			connection.setProperty("user", user);
		}
		if (password != null) {
			connection.setProperty("password", password);
		}
		connection.setProperty("ApplicationName", APPLICATION_NAME);
		return connection;
	}

	private void pause() {
		try {
			Thread.sleep(WAIT_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

	@Override
	public void stop() {
		this.running = false;
		Thread listener = this.thread;
		if (listener != null) {
			listener.interrupt();
			try {
				listener.join(2 * WAIT_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.cache.live(false);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
