package dev.meridian.sql.endpoint;

import dev.meridian.sql.postgres.Lsn;
import dev.meridian.sql.postgres.WalPositions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The two WAL positions SESSION and GLOBAL reads wait on, shared by every session of the endpoint: how far this
 * region's standby has replayed, and the primary's current position. Each is read over one JDBC connection of the
 * endpoint's own (as the superuser), reopened after a failure.
 */
final class WalWatch implements AutoCloseable {
    private static final long POLL_MILLIS = 1;

    private final ServerConnection standby;
    private final ServerConnection primary;
    private Lsn replayed = Lsn.parse("0/0");
    private Lsn primaryCurrent;
    private long primaryRequests;
    private long primaryAnswered;
    private boolean primaryFetching;

    WalWatch(Supplier<String> standbyUrl, Supplier<String> primaryUrl, String user, String password) {
        this.standby = new ServerConnection(standbyUrl, user, password);
        this.primary = new ServerConnection(primaryUrl, user, password);
    }

    /**
     * Returns once the standby has replayed {@code target}; fails with SQLSTATE 57014 after {@code timeout}.
     * Waiters take turns polling, at most once a millisecond each.
     */
    synchronized void awaitReplayed(Lsn target, Duration timeout, ReadConsistency mode) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (replayed.isBefore(target)) {
            try {
                replayed = WalPositions.replayed(standby.get());
            } catch (SQLException e) {
                standby.reset();
                throw e;
            }
            if (!replayed.isBefore(target)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new SQLException(ReadConsistency.PARAMETER + " = '" + mode.sqlName() + "': this region's replica"
                        + " has replayed the primary's WAL to " + replayed + ", not yet to " + target + ", after "
                        + timeout.toMillis() + " ms", "57014");
            }
            try {
                wait(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the replica to replay " + target, "57014", e);
            }
        }
    }

    /**
     * The primary's current WAL position, read after this call began: concurrent callers share one round trip to
     * the primary when it started after they asked.
     */
    Lsn primaryCurrent() throws SQLException {
        long ticket;
        synchronized (this) {
            ticket = ++primaryRequests;
            while (primaryAnswered < ticket && primaryFetching) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while asking the primary for its WAL position", "57014", e);
                }
            }
            if (primaryAnswered >= ticket) {
                return primaryCurrent;
            }
            primaryFetching = true;
        }
        long covers = ticket;
        try {
            synchronized (this) {
                covers = primaryRequests;
            }
            Lsn current = WalPositions.current(primary.get());
            synchronized (this) {
                primaryCurrent = current;
                primaryAnswered = covers;
            }
            return current;
        } catch (SQLException e) {
            primary.reset();
            throw e;
        } finally {
            synchronized (this) {
                primaryFetching = false;
                notifyAll();
            }
        }
    }

    @Override
    public void close() {
        standby.reset();
        primary.reset();
    }

    /** One JDBC connection, opened on first use and again after {@link #reset}. */
    private static final class ServerConnection {
        private final Supplier<String> url;
        private final String user;
        private final String password;
        private Connection connection;

        ServerConnection(Supplier<String> url, String user, String password) {
            this.url = url;
            this.user = user;
            this.password = password;
        }

        synchronized Connection get() throws SQLException {
            if (connection == null || connection.isClosed()) {
                String server;
                try {
                    server = url.get();
                } catch (RuntimeException e) {
                    throw new SQLException(e.getMessage(), "57P03"); // cannot_connect_now: the server is not up yet
                }
                connection = DriverManager.getConnection(server + "?connectTimeout=5&socketTimeout=10"
                        + "&ApplicationName=meridian-endpoint", user, password);
            }
            return connection;
        }

        synchronized void reset() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // replaced either way
                }
                connection = null;
            }
        }
    }
}
