package dev.meridian.testkit.history;

/**
 * One client call, as the client saw it: what it asked, when it began and ended (System.nanoTime), and how it
 * ended.
 *
 * <p>A CAS is a conditional write: it writes {@code value} only if the key holds {@code expected} at that moment.
 * One whose condition did not hold changed nothing, so its client records it FAILED.
 *
 * @param process the client (one thread, or one user session) that made it; a process's calls never overlap
 * @param expected for a CAS the value the key must hold for the write to happen, or null when the key must be
 *     absent; null for every other kind
 * @param value for a WRITE or CAS the unique value written; for a READ the value seen, or null when the key was
 *     absent; null for a DELETE
 */
public record Operation(long id, String process, String region, Kind kind, String key, String expected, String value,
        long startNanos, long endNanos, Outcome outcome) {

    public enum Kind { WRITE, DELETE, READ, CAS }

    /**
     * OK: acknowledged. FAILED: refused before it took effect (an error the server answers only when it changed
     * nothing). UNKNOWN: no answer (timeout, reset, crash), so it may or may not have taken effect.
     */
    public enum Outcome { OK, FAILED, UNKNOWN }

    public boolean isMutation() {
        return kind != Kind.READ;
    }

    /** Whether this call, when it takes effect, leaves the key holding {@code value}: a WRITE or a CAS. */
    public boolean writesValue() {
        return kind == Kind.WRITE || kind == Kind.CAS;
    }

    /** Whether this call may have changed the key: acknowledged, or unanswered. */
    public boolean mayHaveHappened() {
        return isMutation() && outcome != Outcome.FAILED;
    }

    /** Whether {@code later} began only after this call ended, by more than {@code slackNanos}. */
    public boolean precedes(Operation later, long slackNanos) {
        return later.startNanos - endNanos > slackNanos;
    }
}
