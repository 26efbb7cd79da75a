package dev.meridian.sql;

import dev.meridian.core.RegionConfig.SqlUser;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What the primary makes in its database at every start, for the standbys to receive by replication: the
 * configured users (created, or their passwords reset to the configured ones), {@code meridian.global_db_status()},
 * the SQL view of replication lag in the spirit of Aurora's {@code aurora_global_db_status()}, and the failover
 * history {@code meridian.failovers}.
 */
final class DatabaseSetup {
    /**
     * One row per region: its role, its stream's state, and how far it is behind the primary, in WAL bytes and in
     * seconds of replay (0 when caught up; null when not connected). On a standby it answers for itself only.
     */
    static final String STATUS_FUNCTION = """
            CREATE OR REPLACE FUNCTION meridian.global_db_status()
            RETURNS TABLE (region text, role text, state text, lag_bytes numeric, lag_seconds double precision)
            LANGUAGE plpgsql STABLE AS $f$
            BEGIN
              IF pg_is_in_recovery() THEN
                RETURN QUERY SELECT current_setting('meridian.region', true), 'secondary'::text,
                  coalesce((SELECT w.status FROM pg_stat_wal_receiver w), 'disconnected')::text,
                  pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()),
                  CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0::double precision
                       ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::double precision END;
                RETURN;
              END IF;
              RETURN QUERY SELECT current_setting('meridian.region', true), 'primary'::text, 'running'::text,
                0::numeric, 0::double precision;
              RETURN QUERY SELECT replace(slot.slot_name, '_', '-'), 'secondary'::text,
                  coalesce(stream.state, 'disconnected')::text,
                  pg_wal_lsn_diff(pg_current_wal_lsn(), coalesce(stream.replay_lsn, slot.restart_lsn)),
                  CASE WHEN stream.pid IS NULL THEN NULL
                       ELSE coalesce(extract(epoch FROM stream.replay_lag), 0)::double precision END
                FROM pg_replication_slots slot
                LEFT JOIN pg_stat_replication stream ON stream.pid = slot.active_pid
                WHERE slot.slot_type = 'physical'
                ORDER BY 1;
            END
            $f$""";

    private DatabaseSetup() {}

    static void apply(String jdbcUrl, String superuser, String password, List<SqlUser> users) throws SQLException {
        try (Connection db = DriverManager.getConnection(jdbcUrl, superuser, password);
                Statement statement = db.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS meridian");
            statement.execute(STATUS_FUNCTION);
            statement.execute(FailoverRecords.TABLE);
            statement.execute("GRANT SELECT ON meridian.failovers TO PUBLIC");
            statement.execute("GRANT USAGE ON SCHEMA meridian TO PUBLIC");
            for (SqlUser user : users) {
                if (user.name().equals(superuser)) {
                    continue;
                }
                boolean exists;
                try (PreparedStatement find = db.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
                    find.setString(1, user.name());
                    exists = find.executeQuery().next();
                }
                // Names are checked against [A-Za-z_][A-Za-z0-9_]* when the config loads; the password is a literal.
                statement.execute((exists ? "ALTER ROLE " : "CREATE ROLE ") + user.name()
                        + " LOGIN PASSWORD " + literal(user.password()));
                if (!exists) {
                    statement.execute("GRANT CREATE ON SCHEMA public TO " + user.name());
                }
            }
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
