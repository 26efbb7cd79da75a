package dev.meridian.fabric;

/**
 * When this region's recent group commits became durable: the last log sequence of each group and the wall-clock
 * millisecond its fsync returned, for the newest {@value #GROUPS} groups. Senders stamp entries with it, so a
 * destination measures replication delay from the moment the origin acknowledged the write, as DynamoDB's
 * {@code ReplicationLatency} does, rather than from when the write was first taken.
 *
 * <p>Written by the committer, read by every sender.
 */
final class DurableTimes {
    private static final int GROUPS = 1 << 16;

    /** The log head when this process started: entries up to it were committed before, at unknown times. */
    private final long headAtStart;
    private final long[] lastSeqs = new long[GROUPS];
    private final long[] millis = new long[GROUPS];
    /** Groups recorded so far; the ring holds the newest {@code min(count, GROUPS)}. */
    private long count;

    DurableTimes(long headAtStart) {
        this.headAtStart = headAtStart;
    }

    /** Records that every local entry up to {@code lastSeq} became durable at {@code atMillis}. */
    synchronized void record(long lastSeq, long atMillis) {
        int slot = (int) (count % GROUPS);
        lastSeqs[slot] = lastSeq;
        millis[slot] = atMillis;
        count++;
    }

    /** When entry {@code seq} became durable here, or 0 when that is no longer (or not yet) known. */
    synchronized long of(long seq) {
        long oldest = Math.max(0, count - GROUPS);
        long low = oldest;
        long high = count - 1;
        while (low <= high) { // the first group whose last sequence is at least seq
            long mid = (low + high) >>> 1;
            if (lastSeqs[(int) (mid % GROUPS)] >= seq) {
                high = mid - 1;
            } else {
                low = mid + 1;
            }
        }
        // The oldest group kept starts after the group before it, which the ring may have dropped; until the ring
        // wraps, that is the last group before this process started.
        boolean known = low < count && (low > oldest || count <= GROUPS && seq > headAtStart);
        return known ? millis[(int) (low % GROUPS)] : 0;
    }
}
