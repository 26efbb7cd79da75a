package dev.meridian.sql;

import java.util.List;

/**
 * What {@code meridian status} and {@code /_meridian/status} show of the SQL layer in one region.
 *
 * @param role {@code primary} or {@code standby}
 * @param state {@code running}, {@code starting} (cloning, or waiting for the control plane), or {@code fenced}
 *     (a primary cut off from the majority: its server is stopped)
 * @param primary the region the control plane (or the configuration) names as primary
 * @param epoch the fencing epoch: one more at every change of primary
 * @param serverPort this region's PostgreSQL server
 * @param standbys in the primary region, every other region's standby; empty elsewhere
 * @param lastFailover the last change of primary, if any
 */
public record SqlStatus(String role, String state, String primary, long epoch, int serverPort, List<Standby> standbys,
        LastFailover lastFailover) {
    /**
     * One standby as the primary sees it: {@code streaming} (or another {@code pg_stat_replication} state, or
     * {@code disconnected}), WAL bytes not yet replayed, and PostgreSQL's replay lag in seconds (0 when idle).
     */
    public record Standby(String region, String state, Long lagBytes, Double lagSeconds) {}

    /**
     * A change of primary: the estimate of lost WAL from the members' last reports, and, in the old primary's
     * region once it has rejoined, the measured loss in WAL bytes and committed transactions.
     */
    public record LastFailover(String from, String to, long epoch, boolean planned, long rpoBytesEstimate,
            Long rpoBytesMeasured, Long rpoTransactionsMeasured) {}
}
