package dev.meridian.gateway.proxy;

import com.linecorp.armeria.common.HttpStatus;
import dev.meridian.gateway.RegionTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's per-region request figures: rate by status class, latency to the response headers, retries. Each
 * meter is looked up in the registry once and kept, since every proxied request records to two of them.
 */
final class ProxyMetrics {
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();

    ProxyMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void responded(RegionTarget region, HttpStatus status, long startedNanos) {
        String statusClass = status.codeClass().name().toLowerCase();
        counter("requests " + region.name() + " " + statusClass, () -> Counter.builder("meridian.gateway.requests")
                .description("requests answered by a region, by status class")
                .tag("region", region.name()).tag("status", statusClass)).increment();
        latencies.computeIfAbsent(region.name(), name -> Timer.builder("meridian.gateway.request.latency")
                        .description("time from sending a request to a region to its response headers")
                        .tag("region", name).register(meters))
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    void failed(RegionTarget region, String why) {
        counter("failures " + region.name() + " " + why, () -> Counter.builder("meridian.gateway.request.failures")
                .description("requests that got no response from a region (connect failures, resets, timeouts)")
                .tag("region", region.name()).tag("why", why)).increment();
    }

    void retried(RegionTarget from, RegionTarget to) {
        counter("retries " + from.name() + " " + to.name(), () -> Counter.builder("meridian.gateway.retries")
                .description("reads sent again to the next region")
                .tag("from", from.name()).tag("to", to.name())).increment();
    }

    void unrouted() {
        counter("unrouted", () -> Counter.builder("meridian.gateway.unrouted")
                .description("requests refused because no region was healthy")).increment();
    }

    private Counter counter(String key, java.util.function.Supplier<Counter.Builder> builder) {
        return counters.computeIfAbsent(key, k -> builder.get().register(meters));
    }
}
