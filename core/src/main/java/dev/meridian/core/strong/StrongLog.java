package dev.meridian.core.strong;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The log that strong tables' writes are agreed in, by a majority of the regions (and the witness), and that every
 * region applies in the same order to its own copy of the data. Agreement makes the writes linearizable; the
 * compare-and-set of {@link StrongWrite} makes a read-decide-write atomic across regions.
 */
public interface StrongLog {
    /**
     * Proposes {@code write}; completes with the verdict once a majority agreed on it, or fails with
     * {@link StrongLogUnavailableException} when no majority answered in time.
     */
    CompletableFuture<Verdict> propose(StrongWrite write);

    /** The last log index whose write this region has applied to its data (written durably). */
    long applied();

    /** Completes with true once this region has applied {@code index}, or with false after {@code timeout}. */
    CompletableFuture<Boolean> awaitApplied(long index, Duration timeout);

    /**
     * Completes once this region has applied every write agreed before the call (a read index confirmed by the
     * leader), so a read made then is linearizable; fails with {@link StrongLogUnavailableException} without a
     * majority.
     */
    CompletableFuture<Void> readBarrier();
}
