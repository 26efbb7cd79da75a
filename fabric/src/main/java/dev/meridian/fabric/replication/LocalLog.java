package dev.meridian.fabric.replication;

import dev.meridian.fabric.wire.Entry;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;

/** This region's change log, as the senders read it. */
public interface LocalLog {
    long head();

    /** The oldest sequence still kept; {@code head() + 1} when nothing is kept. */
    long firstSeq();

    /**
     * Up to {@code max} entries from {@code fromSeq} on, in order (starting later if those were dropped), stopping
     * before the one that would take their encoded size past {@code maxBytes} (the first is always included).
     */
    List<Entry> read(long fromSeq, int max, long maxBytes);

    /** The commit timestamp of entry {@code seq}, if it is still kept. */
    OptionalLong timestampOf(long seq);

    /** Waits up to {@code millis} for the head to pass {@code seq}. */
    void awaitHeadAbove(long seq, long millis) throws InterruptedException;

    /** Every key whose current state this region wrote, as of one instant, with the log head at that instant. */
    Snapshot snapshot();

    /** A point-in-time copy of this region's own writes, for a peer the log no longer covers. */
    interface Snapshot extends AutoCloseable {
        long head();

        Iterator<Entry> entries();

        @Override
        void close();
    }
}
