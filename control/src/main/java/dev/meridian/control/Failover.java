package dev.meridian.control;

/**
 * A change of SQL primary, as agreed and applied.
 *
 * @param from the previous primary
 * @param to the new primary
 * @param epoch the new fencing epoch
 * @param fromLsn the last WAL position the previous primary reported, -1 if it never did
 * @param toLsn the WAL position the new primary had last reported when it was promoted, -1 if unknown
 * @param planned whether it was asked for (a switchover) rather than decided because the primary went silent
 */
public record Failover(String from, String to, long epoch, long fromLsn, long toLsn, boolean planned) {
    /** How many bytes of WAL the new primary may lack: the gap between the two reported positions, at least 0. */
    public long rpoBytesEstimate() {
        return fromLsn < 0 || toLsn < 0 ? 0 : Math.max(0, fromLsn - toLsn);
    }
}
