package dev.meridian.control;

/**
 * What a member reports about itself, every heartbeat interval.
 *
 * @param walLsn its PostgreSQL WAL position: the current LSN on the primary, the last received or replayed LSN on
 *     a standby, -1 when unknown
 * @param eligible whether it can be promoted now (a running standby that is streaming)
 */
public record Heartbeat(long walLsn, boolean eligible) {
    /** What a member without a PostgreSQL server (a witness) reports. */
    public static final Heartbeat NOT_ELIGIBLE = new Heartbeat(-1, false);
}
