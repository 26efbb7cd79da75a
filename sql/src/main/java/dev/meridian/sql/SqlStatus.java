package dev.meridian.sql;

import java.util.List;

/**
 * What {@code meridian status} and {@code /_meridian/status} show of the SQL layer in one region.
 *
 * @param role {@code primary} or {@code standby}
 * @param state {@code running}, or {@code bootstrapping} while a standby clones itself and starts
 * @param serverPort this region's PostgreSQL server
 * @param standbys in the primary region, every other region's standby; empty elsewhere
 */
public record SqlStatus(String role, String state, int serverPort, List<Standby> standbys) {
    /**
     * One standby as the primary sees it: {@code streaming} (or another {@code pg_stat_replication} state, or
     * {@code disconnected}), WAL bytes not yet replayed, and PostgreSQL's replay lag in seconds (0 when idle).
     */
    public record Standby(String region, String state, Long lagBytes, Double lagSeconds) {}
}
