package dev.meridian.fabric;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The fabric's meters: commit and apply rates, replication delay, and gauges for the log and each peer. */
final class FabricMetrics {
    private final MeterRegistry registry;
    private final Counter commits;
    private final Timer durableWrites;
    private final io.micrometer.core.instrument.DistributionSummary groupSizes;
    private final Map<String, Counter> appliedByOrigin = new ConcurrentHashMap<>();
    private final Map<String, Timer> delayByOrigin = new ConcurrentHashMap<>();
    private final ReplicationDelays delays = new ReplicationDelays();

    FabricMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.commits = Counter.builder("meridian.fabric.commits")
                .description("local writes committed to this region's change log")
                .register(registry);
        this.durableWrites = Timer.builder("meridian.fabric.durable.write")
                .description("time to write and fsync one commit group")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.groupSizes = io.micrometer.core.instrument.DistributionSummary.builder("meridian.fabric.commit.group")
                .description("local writes and replicated batches committed by one fsync")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    /** One group commit: how many commits it carried and how long its fsync'd write took. */
    void groupCommitted(int commits, long nanos) {
        groupSizes.record(commits);
        durableWrites.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void localCommits(long count) {
        commits.increment(count);
    }

    ReplicationDelays delays() {
        return delays;
    }

    /** An entry from {@code origin} applied here {@code delayMicros} after it was committed there. */
    void applied(String origin, long delayMicros) {
        delays.record(origin, delayMicros);
        appliedByOrigin.computeIfAbsent(origin, o -> Counter.builder("meridian.fabric.applied")
                        .description("entries applied from another region's change log")
                        .tag("origin", o)
                        .register(registry))
                .increment();
        delayByOrigin.computeIfAbsent(origin, o -> Timer.builder("meridian.replication.delay")
                        .description("time from commit in the origin region to apply here")
                        .tag("origin", o)
                        .publishPercentiles(0.5, 0.99)
                        .register(registry))
                .record(Duration.ofNanos(Math.max(0, delayMicros) * 1000));
    }

    void gauge(String name, String description, Map<String, String> tags, Supplier<Number> value) {
        var builder = io.micrometer.core.instrument.Gauge.builder(name, value).description(description);
        tags.forEach(builder::tag);
        builder.register(registry);
    }
}
