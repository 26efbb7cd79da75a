package dev.meridian.bench.faults;

import java.time.Duration;
import java.util.Collection;
import java.util.function.Predicate;

/** Waits for something created in one region (a table, a bucket) to be there in every region. */
final class Everywhere {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Everywhere() {}

    /** Polls each region's client until {@code present} holds for it; fails after 30 s naming {@code what}. */
    static <C> void await(Collection<C> clients, Predicate<C> present, String what) throws InterruptedException {
        for (C client : clients) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!present.test(client)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(what + " did not reach every region within " + TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(200);
            }
        }
    }
}
