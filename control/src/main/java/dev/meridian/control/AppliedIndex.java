package dev.meridian.control;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The last log index whose effects this member holds durably: Ratis hands entries to the state machine in order, and
 * a strong write counts only once the region's store has it. Callers wait on it to read their own writes and after a
 * read index.
 */
final class AppliedIndex {
    private final ConcurrentSkipListMap<Long, List<CompletableFuture<Boolean>>> waiters = new ConcurrentSkipListMap<>();
    private volatile long applied;
    /** Completes when every entry handed in so far is durable; replaced on the apply thread only. */
    private volatile CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    /** Starts from a snapshot that covers {@code index}. */
    void reset(long index) {
        applied = index;
        tail = CompletableFuture.completedFuture(null);
    }

    /**
     * Entry {@code index} counts as applied once {@code durable} and every earlier entry are. A failed store write
     * stops the index for good: reads and waits then time out rather than miss a write.
     */
    void entry(long index, CompletableFuture<?> durable) {
        tail = tail.thenCombine(durable, (a, b) -> (Void) null).thenRun(() -> advance(index));
    }

    long applied() {
        return applied;
    }

    /** Completes once every entry handed in before the call is durable. */
    CompletableFuture<Void> caughtUp() {
        return tail;
    }

    /** Completes with true once {@code index} is applied, or with false after {@code timeout}. */
    CompletableFuture<Boolean> await(long index, Duration timeout) {
        if (applied >= index) {
            return CompletableFuture.completedFuture(true);
        }
        var done = new CompletableFuture<Boolean>();
        waiters.computeIfAbsent(index, i -> new CopyOnWriteArrayList<>()).add(done);
        if (applied >= index) { // advanced while registering
            done.complete(true);
        }
        return done.completeOnTimeout(false, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void advance(long index) {
        applied = Math.max(applied, index);
        var due = waiters.headMap(index, true);
        due.values().forEach(list -> list.forEach(waiter -> waiter.complete(true)));
        due.clear();
    }
}
