package dev.meridian.fabric;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Reads waiting for this region to have applied given positions of the regions' logs (SESSION and GLOBAL reads).
 * The committer calls {@link #advanced} as soon as replicated entries are written (before their fsync) and after
 * every durable group of local writes, so a wait ends as soon as its positions are applied, not at the next poll.
 */
final class AppliedWaiters {
    private record Waiter(Map<String, Long> positions, CompletableFuture<Boolean> covered) {}

    /** Completes waits off the committer; its own thread, as the common pool has one thread on two cores. */
    private static final Executor COMPLETER = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "fabric-applied-waiters");
        thread.setDaemon(true);
        return thread;
    });

    private final Supplier<Map<String, Long>> applied;
    private final ConcurrentLinkedQueue<Waiter> waiting = new ConcurrentLinkedQueue<>();

    AppliedWaiters(Supplier<Map<String, Long>> applied) {
        this.applied = applied;
    }

    /** Completes with true once every position is applied here, or with false after {@code timeout}. */
    CompletableFuture<Boolean> await(Map<String, Long> positions, Duration timeout) {
        if (covers(applied.get(), positions)) {
            return CompletableFuture.completedFuture(true);
        }
        var waiter = new Waiter(Map.copyOf(positions), new CompletableFuture<>());
        waiting.add(waiter);
        waiter.covered().whenComplete((covered, failure) -> waiting.remove(waiter));
        waiter.covered().completeOnTimeout(false, timeout.toMillis(), TimeUnit.MILLISECONDS);
        advanced(); // the positions may have been applied between the check above and the add
        return waiter.covered();
    }

    /** Called whenever the applied positions move: ends every wait now covered, off the caller's thread. */
    void advanced() {
        if (waiting.isEmpty()) {
            return;
        }
        Map<String, Long> now = applied.get();
        for (Waiter waiter : waiting) {
            if (covers(now, waiter.positions())) {
                // Completing runs the read's continuation: never on the committer.
                COMPLETER.execute(() -> waiter.covered().complete(true));
            }
        }
    }

    static boolean covers(Map<String, Long> applied, Map<String, Long> positions) {
        for (Map.Entry<String, Long> position : positions.entrySet()) {
            if (applied.getOrDefault(position.getKey(), 0L) < position.getValue()) {
                return false;
            }
        }
        return true;
    }
}
