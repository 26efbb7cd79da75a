package dev.meridian.core;

import java.time.Clock;

/**
 * Hybrid logical clock: timestamps that follow wall time but never go backwards and always move past any
 * timestamp this region has seen from a peer, so a causally later write always wins last-writer-wins.
 *
 * <p>A timestamp packs milliseconds since the epoch into the high 48 bits and a logical counter into the low 16,
 * so timestamps compare as plain longs. Thread-safe; callers share one instance per region.
 */
public final class HybridClock {
    private static final int LOGICAL_BITS = 16;
    private static final long LOGICAL_MASK = (1L << LOGICAL_BITS) - 1;
    /** The furthest ahead of this clock a peer's timestamp may be: clocks drift by seconds, not by days. */
    private static final long MAX_AHEAD_MILLIS = java.time.Duration.ofDays(1).toMillis();

    private final Clock wallClock;
    private long last;

    public HybridClock(Clock wallClock) {
        this.wallClock = wallClock;
    }

    /** A timestamp greater than every timestamp this clock has issued or observed. */
    public synchronized long now() {
        long wall = wallClock.millis() << LOGICAL_BITS;
        last = wall > last ? wall : last + 1;
        return last;
    }

    /**
     * Records a timestamp seen from a peer, so that later local timestamps order after it. Returns false, observing
     * nothing, for a timestamp no sane clock gives (negative, or more than a day ahead of this one): following it would
     * push every later local write into the far future, or past the end of the timestamp range.
     */
    public synchronized boolean observe(long remote) {
        if (!isPlausible(remote)) {
            return false;
        }
        if (remote > last) {
            last = remote;
        }
        return true;
    }

    /** Whether a peer's timestamp is one a sane clock gives: not negative, at most a day ahead of this clock. */
    public boolean isPlausible(long remote) {
        return remote >= 0 && physicalMillis(remote) <= wallClock.millis() + MAX_AHEAD_MILLIS;
    }

    public static long physicalMillis(long timestamp) {
        return timestamp >>> LOGICAL_BITS;
    }

    public static long logical(long timestamp) {
        return timestamp & LOGICAL_MASK;
    }

    public static long fromMillis(long millis) {
        return millis << LOGICAL_BITS;
    }
}
