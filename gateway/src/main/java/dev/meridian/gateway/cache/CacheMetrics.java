package dev.meridian.gateway.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The edge cache's meters, all named {@code meridian.gateway.cache.*}; removed from the registry on close. */
final class CacheMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<CacheResult, Counter> requests = new EnumMap<>(CacheResult.class);
    private final Counter originFetches;
    private final Counter collapsedWaiters;
    private final Counter invalidated;

    CacheMetrics(MeterRegistry registry, TieredStore store) {
        this.registry = registry;
        for (CacheResult result : CacheResult.values()) {
            requests.put(result, register(Counter.builder("meridian.gateway.cache.requests")
                    .description("GET and HEAD requests by how the cache answered them")
                    .tag("result", result.tag()).register(registry)));
        }
        originFetches = register(Counter.builder("meridian.gateway.cache.origin.fetches")
                .description("Requests the cache sent to the origin to fill or revalidate an entry").register(registry));
        collapsedWaiters = register(Counter.builder("meridian.gateway.cache.collapsed")
                .description("Requests that waited for another request's origin fetch instead of making their own")
                .register(registry));
        invalidated = register(Counter.builder("meridian.gateway.cache.invalidated")
                .description("Entries dropped by invalidations").register(registry));
        register(Gauge.builder("meridian.gateway.cache.memory.bytes", store, TieredStore::memoryBytes)
                .description("Bytes held by the memory tier").baseUnit("bytes").register(registry));
        register(Gauge.builder("meridian.gateway.cache.disk.bytes", store, TieredStore::diskBytes)
                .description("Bytes held by the disk tier").baseUnit("bytes").register(registry));
    }

    void request(CacheResult result) {
        requests.get(result).increment();
    }

    void originFetch() {
        originFetches.increment();
    }

    void collapsedWaiter() {
        collapsedWaiters.increment();
    }

    void invalidated(int entries) {
        invalidated.increment(entries);
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }

    private <M extends Meter> M register(M meter) {
        meters.add(meter);
        return meter;
    }
}
