package dev.meridian.gateway;

import dev.meridian.gateway.health.HealthChecker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /_meridian/gateway/status}: which regions take traffic, and for each its health, probe latency,
 * requests answered, errors and mean latency since the gateway started (read from its meters), as JSON for
 * {@code meridian status}.
 */
final class StatusPage {
    private final HealthChecker health;
    private final MeterRegistry meters;

    StatusPage(HealthChecker health, MeterRegistry meters) {
        this.health = health;
        this.meters = meters;
    }

    Map<String, Object> read() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("takingTraffic", health.ranked().stream().map(RegionTarget::name).toList());
        List<Map<String, Object>> regions = health.view().stream().map(this::region).toList();
        status.put("regions", regions);
        status.put("unrouted", sum(meters.find("meridian.gateway.unrouted").counters()));
        if (meters.find("meridian.gateway.cache.memory.bytes").gauge() != null) {
            status.put("cache", cache());
        }
        return status;
    }

    private Map<String, Object> region(HealthChecker.RegionView view) {
        Map<String, Object> region = new LinkedHashMap<>();
        region.put("name", view.name());
        region.put("endpoint", view.endpoint());
        region.put("state", view.state());
        region.put("takingTraffic", view.takingTraffic());
        region.put("isolated", view.isolated());
        region.put("probeLatencyMillis", view.latencyMillis());
        region.put("lastFailure", view.lastFailure());
        region.put("changes", sum(meters.find("meridian.gateway.region.changes").tag("region", view.name())
                .counters()));
        region.put("requests", sum(meters.find("meridian.gateway.requests").tag("region", view.name()).counters()));
        region.put("errors", sum(meters.find("meridian.gateway.requests").tag("region", view.name())
                .tag("status", "server_error").counters())
                + sum(meters.find("meridian.gateway.request.failures").tag("region", view.name()).counters()));
        Timer latency = meters.find("meridian.gateway.request.latency").tag("region", view.name()).timer();
        region.put("meanLatencyMillis", latency == null ? 0 : latency.mean(TimeUnit.MILLISECONDS));
        return region;
    }

    /** Requests the edge cache answered, by result, and the bytes it holds. */
    private Map<String, Object> cache() {
        Map<String, Object> cache = new LinkedHashMap<>();
        Map<String, Long> results = new LinkedHashMap<>();
        for (Counter counter : meters.find("meridian.gateway.cache.requests").counters()) {
            results.merge(counter.getId().getTag("result"), Math.round(counter.count()), Long::sum);
        }
        long served = results.values().stream().mapToLong(Long::longValue).sum() - results.getOrDefault("bypass", 0L);
        long hits = results.getOrDefault("hit", 0L) + results.getOrDefault("refresh_hit", 0L);
        cache.put("requests", results);
        cache.put("hitRatio", served == 0 ? 0 : (double) hits / served);
        cache.put("memoryBytes", meters.find("meridian.gateway.cache.memory.bytes").gauge().value());
        cache.put("diskBytes", meters.find("meridian.gateway.cache.disk.bytes").gauge().value());
        return cache;
    }

    private static long sum(java.util.Collection<Counter> counters) {
        return Math.round(counters.stream().mapToDouble(Counter::count).sum());
    }
}
