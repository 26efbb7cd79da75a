package dev.meridian.testkit.history;

/**
 * One client call, as the client saw it: what it asked, when it began and ended (System.nanoTime), and how it
 * ended.
 *
 * @param process the client (one thread, or one user session) that made it; a process's calls never overlap
 * @param value for a WRITE the unique value written; for a READ the value seen, or null when the key was absent;
 *     null for a DELETE
 */
public record Operation(long id, String process, String region, Kind kind, String key, String value, long startNanos,
        long endNanos, Outcome outcome) {

    public enum Kind { WRITE, DELETE, READ }

    /**
     * OK: acknowledged. FAILED: refused before it took effect (an error the server answers only when it changed
     * nothing). UNKNOWN: no answer (timeout, reset, crash), so it may or may not have taken effect.
     */
    public enum Outcome { OK, FAILED, UNKNOWN }

    public boolean isMutation() {
        return kind != Kind.READ;
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
