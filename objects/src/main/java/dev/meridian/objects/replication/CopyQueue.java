package dev.meridian.objects.replication;

import dev.meridian.objects.ObjectKeys;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The version slots whose bytes this region still has to copy: each slot at most once, whether ready, being copied,
 * or waiting out a backoff after a failure. A slot is copied for whatever blob it references when its turn comes,
 * so a version superseded while queued is never fetched.
 */
final class CopyQueue {
    private final LinkedBlockingDeque<ObjectKeys.Slot> ready = new LinkedBlockingDeque<>();
    /** Every slot in the queue, with its failures so far; guarded by this. */
    private final Map<ObjectKeys.Slot, Entry> entries = new HashMap<>();
    private final ScheduledExecutorService timers;

    CopyQueue(ScheduledExecutorService timers) {
        this.timers = timers;
    }

    /** Queues {@code slot} at the back, unless it is already queued. */
    synchronized void offer(ObjectKeys.Slot slot) {
        if (entries.putIfAbsent(slot, new Entry()) == null) {
            ready.offerLast(slot);
        }
    }

    /** Moves {@code slot} to the front (someone is reading it remotely right now), skipping any backoff. */
    synchronized void bump(ObjectKeys.Slot slot) {
        Entry entry = entries.get(slot);
        if (entry == null) {
            entries.put(slot, new Entry());
            ready.offerFirst(slot);
        } else if (entry.retry != null && entry.retry.cancel(false)) {
            entry.retry = null;
            ready.offerFirst(slot);
        } else if (ready.remove(slot)) {
            ready.offerFirst(slot);
        }
    }

    /** The next slot to copy, waiting for one. */
    ObjectKeys.Slot take() throws InterruptedException {
        return ready.take();
    }

    /** {@code slot} was copied, or no longer needs to be. */
    synchronized void finished(ObjectKeys.Slot slot) {
        entries.remove(slot);
    }

    /** Counts a failed attempt at {@code slot} and queues it again after {@code backoff(failures)}; returns failures. */
    synchronized int retryLater(ObjectKeys.Slot slot, IntFunction<Duration> backoff) {
        Entry entry = entries.computeIfAbsent(slot, s -> new Entry());
        entry.failures++;
        try {
            entry.retry = timers.schedule(() -> requeue(slot, entry), backoff.apply(entry.failures).toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            entries.remove(slot);
        }
        return entry.failures;
    }

    /** Slots queued, being copied, or waiting to be retried. */
    synchronized int size() {
        return entries.size();
    }

    private synchronized void requeue(ObjectKeys.Slot slot, Entry entry) {
        if (entry.retry != null && entries.get(slot) == entry) {
            entry.retry = null;
            ready.offerLast(slot);
        }
    }

    private static final class Entry {
        int failures;
        ScheduledFuture<?> retry;
    }
}
