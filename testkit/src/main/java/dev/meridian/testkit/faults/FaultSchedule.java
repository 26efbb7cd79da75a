package dev.meridian.testkit.faults;

import dev.meridian.testkit.LocalCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects faults into a {@link LocalCluster} one after another, chosen by a seeded random: cut links, one-way
 * partitions, added delay and jitter, kill -9 and restart, paused processes, a region's clock skewed. Each fault is
 * held for a while, then undone; the same seed gives the same schedule.
 */
public final class FaultSchedule {
    /**
     * The furthest one region's clock is moved from the others'. Last-writer-wins follows real time only for writes
     * further apart than the regions' clocks differ, so a checker's concurrency slack must cover this. 200 ms is
     * far beyond what NTP keeps clocks within, yet short enough for the checkers to still order most writes of a key.
     * Skews never add up: one fault at a time, at least 500 ms apart, longer than an undone skew ahead lingers in the
     * hybrid clocks that saw it (its size, after the region rereads its skew file within 100 ms).
     */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMillis(200);
    private static final Logger log = LoggerFactory.getLogger(FaultSchedule.class);

    /**
     * One fault, when it began (milliseconds into the run) and how long it was in place: the hold plus the time its
     * undoing took (a killed region is down until its restart is ready).
     */
    public record Injected(String kind, String description, long atMillis, long heldMillis) {}

    private final LocalCluster cluster;
    private final Random random;
    private final List<String> regions;
    private final List<Injected> injected = new CopyOnWriteArrayList<>();

    public FaultSchedule(LocalCluster cluster, long seed) {
        this.cluster = cluster;
        this.random = new Random(seed);
        this.regions = cluster.regions();
    }

    /** Injects faults until {@code duration} has passed (or the thread is interrupted), leaving none in place. */
    public void run(Duration duration) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(500 + random.nextInt(2000));
            long remaining = (deadline - System.nanoTime()) / 1_000_000;
            if (remaining < 1000) {
                break;
            }
            long hold = Math.min(remaining, 1000 + random.nextInt(5000));
            inject(hold, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** Every fault injected so far. */
    public List<Injected> injected() {
        return List.copyOf(injected);
    }

    private void inject(long holdMillis, long atMillis) throws InterruptedException {
        String a = regions.get(random.nextInt(regions.size()));
        String b = other(a);
        switch (random.nextInt(6)) {
            case 0 -> hold("cut", "link " + a + " <-> " + b + " cut", atMillis, holdMillis,
                    () -> cluster.wan().cut(a, b), () -> cluster.wan().heal(a, b));
            case 1 -> hold("one-way partition", a + " -> " + b + " black-holed (" + b + " -> " + a + " up)", atMillis,
                    holdMillis, () -> cluster.wan().link(a, b).blackhole(), () -> cluster.wan().link(a, b).heal());
            case 2 -> {
                Duration normal = cluster.wan().delays().oneWay(a, b);
                Duration slow = normal.plusMillis(100 + random.nextInt(400));
                hold("delay", a + " <-> " + b + " " + slow.toMillis() + " ms one way, 50 ms jitter", atMillis,
                        holdMillis, () -> {
                            cluster.wan().delay(a, b, slow);
                            cluster.wan().jitter(a, b, Duration.ofMillis(50));
                        }, () -> {
                            cluster.wan().jitter(a, b, Duration.ZERO);
                            cluster.wan().delay(a, b, normal);
                        });
            }
            case 3 -> hold("kill -9", a + " killed, restarted after the hold", atMillis, holdMillis,
                    () -> cluster.kill9(a), () -> cluster.restart(a));
            case 4 -> hold("pause", a + " paused (SIGSTOP)", atMillis, Math.min(holdMillis, 3000),
                    () -> cluster.pause(a), () -> cluster.resume(a));
            default -> {
                long millis = random.nextLong(1, MAX_CLOCK_SKEW.toMillis() + 1);
                boolean ahead = random.nextBoolean();
                Duration skew = Duration.ofMillis(ahead ? millis : -millis);
                hold("clock skew", a + " clock " + millis + " ms " + (ahead ? "ahead" : "behind"), atMillis,
                        holdMillis, () -> cluster.skewClock(a, skew), () -> cluster.skewClock(a, Duration.ZERO));
            }
        }
    }

    private interface Step {
        void run() throws InterruptedException;
    }

    private void hold(String kind, String description, long atMillis, long holdMillis, Step start, Step undo)
            throws InterruptedException {
        log.info("event=fault_injected kind=\"{}\" what=\"{}\" hold_ms={}", kind, description, holdMillis);
        String outcome = description;
        long began = System.nanoTime();
        try {
            start.run();
            Thread.sleep(holdMillis);
        } catch (RuntimeException e) {
            outcome = description + " (injecting failed: " + e.getMessage() + ")";
        } finally {
            try {
                undo.run();
            } catch (RuntimeException e) {
                // e.g. a restart that outlived its timeout on a starved machine: the run goes on, and is told
                log.warn("event=fault_undo_failed kind=\"{}\" error=\"{}\"", kind, e.getMessage());
                outcome = description + " (undoing failed: " + e.getMessage() + ")";
            }
            injected.add(new Injected(kind, outcome, atMillis, (System.nanoTime() - began) / 1_000_000));
        }
    }

    private String other(String region) {
        var others = new ArrayList<>(regions);
        others.remove(region);
        return others.get(random.nextInt(others.size()));
    }
}
