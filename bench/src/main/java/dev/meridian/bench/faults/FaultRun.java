package dev.meridian.bench.faults;

import dev.meridian.bench.Progress;
import dev.meridian.core.RegionConfig;
import dev.meridian.testkit.LocalCluster;
import dev.meridian.testkit.faults.FaultSchedule;
import dev.meridian.testkit.history.Convergence;
import dev.meridian.testkit.history.GlobalReads;
import dev.meridian.testkit.history.History;
import dev.meridian.testkit.history.Linearizability;
import dev.meridian.testkit.history.NoLostWrites;
import dev.meridian.testkit.history.Operation;
import dev.meridian.testkit.history.SessionGuarantees;
import dev.meridian.testkit.history.Violation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * One randomized fault run: a three-region deployment behind the WAN emulator (with the control plane, for a strong
 * table), table, strong-table and object workloads recording every call, a seeded fault schedule at the same time;
 * then every fault undone, every region up, the regions left to converge, and the recorded history checked.
 */
public final class FaultRun {
    /** Writes closer than this are concurrent for last-writer-wins: 5 ms for 1 ms clock ticks, plus the widest skew. */
    private static final long CONCURRENCY_SLACK_NANOS =
            Duration.ofMillis(5).plus(FaultSchedule.MAX_CLOCK_SKEW).toNanos();

    /** What to run. */
    public record Settings(List<String> regions, Duration duration, long seed, int writers, int sessions,
            int globalReaders, int objectWriters, int strongClients, Duration convergenceTimeout) {}

    /** What happened, and what the checkers found. */
    public record Result(Settings settings, List<FaultSchedule.Injected> faults, List<Operation> history,
            List<Violation> violations, Duration convergedAfter, List<String> checks) {}

    private FaultRun() {}

    /** Runs it; {@code dataRoot} may be null (a temporary directory, deleted afterwards). */
    public static Result run(Settings settings, Path dataRoot) throws Exception {
        var history = new History();
        // Short waits, so reads under a fault fall back or fail quickly instead of holding clients. A GLOBAL read
        // that cannot reach every peer fails rather than serving without them: then every one served is checked.
        var consistency = new RegionConfig.ConsistencySettings(Duration.ofSeconds(2), null, Duration.ofSeconds(1),
                Duration.ofSeconds(2), RegionConfig.ConsistencySettings.OnUnreachable.FAIL);
        LocalCluster.Builder builder = LocalCluster.builder().regions(settings.regions()).basePort(0)
                .consistency(consistency).controlPlane();
        if (dataRoot != null) {
            builder.dataRoot(dataRoot);
        }
        try (LocalCluster cluster = builder.start()) {
            var workload = new TableWorkload(cluster, history, settings.seed());
            var objects = new ObjectWorkload(cluster, history, settings.seed());
            var strong = new StrongWorkload(cluster, history, settings.seed());
            ExecutorService objectWriters = Executors.newFixedThreadPool(settings.objectWriters()
                    + settings.strongClients());
            try {
                workload.createTable();
                objects.createBucket();
                if (settings.strongClients() > 0) {
                    strong.createTable();
                }
                var schedule = new FaultSchedule(cluster, settings.seed());
                try (var progress = Progress.every(Progress.EVERY, () -> history.operations().size()
                        + " calls recorded, " + schedule.injected().size() + " faults injected")) {
                    CompletableFuture<Void> faults = CompletableFuture.runAsync(() -> {
                        try {
                            schedule.run(settings.duration());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    long deadline = System.nanoTime() + settings.duration().toNanos();
                    var objectRuns = new ArrayList<Future<Void>>();
                    for (int i = 0; i < settings.objectWriters(); i++) {
                        objectRuns.add(objectWriters.submit(objects.writer(i, deadline)));
                    }
                    for (int i = 0; i < settings.strongClients(); i++) {
                        objectRuns.add(objectWriters.submit(strong.client(i, deadline)));
                    }
                    workload.run(settings.duration(), settings.writers(), settings.sessions(), settings.globalReaders());
                    for (Future<Void> run : objectRuns) {
                        run.get();
                    }
                    faults.get();
                }
                for (String region : cluster.regions()) {
                    if (cluster.isRunning(region)) {
                        cluster.resume(region); // in case a pause's undo failed; harmless otherwise
                    } else {
                        cluster.restart(region);
                    }
                }
                long settling = System.nanoTime();
                Map<String, Map<String, String>> contents = converge(() -> {
                    Map<String, Map<String, String>> both = workload.contents();
                    objects.contents().forEach((region, values) -> both.get(region).putAll(values));
                    if (settings.strongClients() > 0) {
                        strong.contents().forEach((region, values) -> both.get(region).putAll(values));
                    }
                    return both;
                }, settings.convergenceTimeout());
                Duration convergedAfter = Duration.ofNanos(System.nanoTime() - settling);
                List<Operation> operations = history.operations();
                var violations = new ArrayList<Violation>(Convergence.check(contents));
                contents.forEach((region, values) -> violations.addAll(
                        NoLostWrites.check(operations, region, values, CONCURRENCY_SLACK_NANOS)));
                violations.addAll(SessionGuarantees.check(operations, TableWorkload.sessions(settings.sessions()),
                        Set.of(TableWorkload.COUNTER)));
                violations.addAll(GlobalReads.check(operations, TableWorkload.globalReaders(settings.globalReaders()),
                        CONCURRENCY_SLACK_NANOS));
                violations.addAll(Linearizability.check(operations.stream()
                        .filter(op -> op.key().startsWith(StrongWorkload.PREFIX)).toList()));
                return new Result(settings, schedule.injected(), operations, violations, convergedAfter,
                        List.of(NoLostWrites.CHECK, Convergence.CHECK, SessionGuarantees.CHECK, GlobalReads.CHECK,
                                Linearizability.CHECK));
            } finally {
                objectWriters.shutdownNow();
                objects.close();
                strong.close();
                workload.close();
            }
        }
    }

    /** Reads every region until they agree or the timeout passes; the last reading either way. */
    private static Map<String, Map<String, String>> converge(Supplier<Map<String, Map<String, String>>> read,
            Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Map<String, String>> contents;
            try {
                contents = read.get();
            } catch (RuntimeException stillStarting) {
                if (System.nanoTime() > deadline) {
                    throw stillStarting;
                }
                Thread.sleep(500);
                continue;
            }
            if (Convergence.check(contents).isEmpty() || System.nanoTime() > deadline) {
                return contents;
            }
            Thread.sleep(500);
        }
    }
}
