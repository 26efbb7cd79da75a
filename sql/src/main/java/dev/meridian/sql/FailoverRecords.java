package dev.meridian.sql;

import dev.meridian.sql.postgres.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * {@code meridian.failovers}: one row per change of SQL primary, written by the new primary as it is promoted and
 * replicated like any table. It keeps the fork point — where the new primary's history left the old one's: the
 * last WAL position it had replayed and the next transaction id — so the old primary, when it returns, can measure
 * what only it had (the RPO) and record it in the same row.
 */
final class FailoverRecords {
    static final String TABLE = """
            CREATE TABLE IF NOT EXISTS meridian.failovers (
              epoch bigint PRIMARY KEY,
              from_region text NOT NULL,
              to_region text NOT NULL,
              planned boolean NOT NULL,
              fork_lsn pg_lsn NOT NULL,
              fork_next_xid bigint NOT NULL,
              promoted_at timestamptz NOT NULL DEFAULT now(),
              rpo_bytes bigint,
              rpo_transactions bigint,
              measured_at timestamptz
            )""";

    /** Where the new primary's history began: its last replayed WAL position and next transaction id. */
    record ForkPoint(long epoch, Lsn lsn, long nextXid) {}

    /** What the old primary had that the new one did not. */
    record Rpo(long bytes, long transactions) {}

    private FailoverRecords() {}

    /** On a standby about to be promoted: where its history stops. */
    static ForkPoint forkPoint(Connection standby, long epoch) throws SQLException {
        try (var row = standby.createStatement().executeQuery("SELECT pg_last_wal_replay_lsn()::text,"
                + " pg_snapshot_xmax(pg_current_snapshot())::text::bigint")) {
            row.next();
            return new ForkPoint(epoch, Lsn.parse(row.getString(1)), row.getLong(2));
        }
    }

    static void record(Connection primary, String from, String to, boolean planned, ForkPoint fork)
            throws SQLException {
        try (PreparedStatement insert = primary.prepareStatement("INSERT INTO meridian.failovers (epoch, from_region,"
                + " to_region, planned, fork_lsn, fork_next_xid) VALUES (?, ?, ?, ?, ?::pg_lsn, ?)"
                + " ON CONFLICT (epoch) DO NOTHING")) {
            insert.setLong(1, fork.epoch());
            insert.setString(2, from);
            insert.setString(3, to);
            insert.setBoolean(4, planned);
            insert.setString(5, fork.lsn().toString());
            insert.setLong(6, fork.nextXid());
            insert.executeUpdate();
        }
    }

    /** The first change of primary away from {@code region} after {@code sinceEpoch}, as the primary records it. */
    static Optional<ForkPoint> firstAwayFrom(Connection primary, String region, long sinceEpoch) throws SQLException {
        try (PreparedStatement find = primary.prepareStatement("SELECT epoch, fork_lsn::text, fork_next_xid FROM"
                + " meridian.failovers WHERE from_region = ? AND epoch > ? ORDER BY epoch LIMIT 1")) {
            find.setString(1, region);
            find.setLong(2, sinceEpoch);
            try (ResultSet row = find.executeQuery()) {
                return row.next()
                        ? Optional.of(new ForkPoint(row.getLong(1), Lsn.parse(row.getString(2)), row.getLong(3)))
                        : Optional.empty();
            }
        }
    }

    /**
     * On the old primary's data, started read-only: the WAL it has past the fork, and how many transactions it
     * committed that the new primary never saw (transaction ids from the fork's next id on, committed here).
     */
    static Rpo measure(Connection oldPrimary, ForkPoint fork) throws SQLException {
        try (PreparedStatement measure = oldPrimary.prepareStatement("SELECT greatest(0, pg_wal_lsn_diff("
                + "pg_last_wal_replay_lsn(), ?::pg_lsn))::bigint, (SELECT count(*) FROM generate_series(?::bigint,"
                + " pg_snapshot_xmax(pg_current_snapshot())::text::bigint - 1) AS xid"
                + " WHERE pg_xact_status(xid::text::xid8) = 'committed')")) {
            measure.setString(1, fork.lsn().toString());
            measure.setLong(2, fork.nextXid());
            try (ResultSet row = measure.executeQuery()) {
                row.next();
                return new Rpo(row.getLong(1), row.getLong(2));
            }
        }
    }

    static void recordRpo(Connection primary, long epoch, Rpo rpo) throws SQLException {
        try (PreparedStatement update = primary.prepareStatement("UPDATE meridian.failovers SET rpo_bytes = ?,"
                + " rpo_transactions = ?, measured_at = now() WHERE epoch = ?")) {
            update.setLong(1, rpo.bytes());
            update.setLong(2, rpo.transactions());
            update.setLong(3, epoch);
            update.executeUpdate();
        }
    }
}
