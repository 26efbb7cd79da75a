package dev.meridian.sql.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the primary's WAL stands, how far behind each standby is, and waiting for a standby to replay up to a
 * position: what SESSION reads (up to the session's last forwarded commit) and GLOBAL reads (up to the primary's
 * position when the read began) wait for, and what lag reporting shows.
 */
public final class WalPositions {
    /** How far one standby is behind, as its primary sees it. */
    public record StandbyLag(String name, String state, long bytes, Optional<Duration> replayLag) {}

    private static final Duration POLL = Duration.ofMillis(2);

    private WalPositions() {}

    /** The primary's current write position. */
    public static Lsn current(Connection primary) throws SQLException {
        return Lsn.parse(single(primary, "SELECT pg_current_wal_lsn()::text"));
    }

    /** The last position this standby has replayed, so its reads see everything committed up to it. */
    public static Lsn replayed(Connection standby) throws SQLException {
        String text = single(standby, "SELECT pg_last_wal_replay_lsn()::text");
        if (text == null) {
            throw new SQLException("this server is not a standby (pg_last_wal_replay_lsn() is null)", "55000");
        }
        return Lsn.parse(text);
    }

    /**
     * Each connected standby by {@code application_name} (Meridian names it after its replication slot): bytes of
     * WAL the primary has that the standby has not replayed, and PostgreSQL's own replay lag (empty while idle).
     */
    public static Map<String, StandbyLag> lagByStandby(Connection primary) throws SQLException {
        var lags = new LinkedHashMap<String, StandbyLag>();
        try (Statement statement = primary.createStatement();
                ResultSet rows = statement.executeQuery("SELECT application_name, state,"
                        + " pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint,"
                        + " extract(epoch FROM replay_lag)::float8 FROM pg_stat_replication ORDER BY application_name")) {
            while (rows.next()) {
                double seconds = rows.getDouble(4);
                Optional<Duration> replayLag = rows.wasNull()
                        ? Optional.empty()
                        : Optional.of(Duration.ofNanos((long) (seconds * 1e9)));
                lags.put(rows.getString(1), new StandbyLag(rows.getString(1), rows.getString(2), rows.getLong(3), replayLag));
            }
        }
        return lags;
    }

    /**
     * Waits until {@code standby} has replayed {@code target}; fails with SQLSTATE 57014 (query_canceled, as a
     * statement timeout does) if that takes longer than {@code timeout}.
     */
    public static void awaitReplayed(Connection standby, Lsn target, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Lsn replayed = replayed(standby);
        while (replayed.isBefore(target)) {
            if (System.nanoTime() > deadline) {
                throw new SQLException("the standby has replayed the primary's WAL up to " + replayed + ", not yet to "
                        + target + ", after " + timeout.toMillis() + " ms; read again later, or with"
                        + " meridian.read_consistency = 'eventual'", "57014");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the standby to replay " + target, "57014", e);
            }
            replayed = replayed(standby);
        }
    }

    private static String single(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
