package dev.meridian.gateway.cache;

import com.linecorp.armeria.server.HttpService;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway's edge cache, a shared HTTP cache in the manner of CloudFront: it decorates the proxy to the
 * regions, serving GET and HEAD from memory and disk and collapsing concurrent misses into one origin request.
 */
public final class EdgeCache implements AutoCloseable {
    private final CacheSettings settings;
    private final Clock clock;
    private final TieredStore store;
    private final CacheMetrics metrics;

    public EdgeCache(CacheSettings settings, MeterRegistry meters) {
        this(settings, meters, Clock.systemUTC());
    }

    /** With the clock that ages entries, so tests can move time forward. */
    EdgeCache(CacheSettings settings, MeterRegistry meters, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        store = new TieredStore(settings, clock);
        metrics = new CacheMetrics(meters, store);
    }

    /** Serves cacheable GET/HEAD from the cache, everything else (and misses) from origin. */
    public HttpService decorate(HttpService origin) {
        return new CachingService(origin, store, new StorePolicy(settings.maxObjectBytes()), metrics, clock,
                settings.maxStale());
    }

    /** Drops entries whose path matches any pattern ("/a/b.png" exact, "/images/*" prefix wildcard, "/*" all); returns how many. */
    public int invalidate(List<String> paths) {
        return invalidatePatterns(paths.stream().map(PathPattern::new).toList()).join();
    }

    /**
     * POST handler for invalidations: CloudFront CreateInvalidation-like JSON body {"Paths":["/images/*", ...]},
     * answers 201 with {"Id":..., "Status":"Completed", "Paths":[...], "Invalidated":N}; 400 with a clear
     * message for malformed bodies.
     */
    public HttpService invalidationService() {
        return new InvalidationService(this::invalidatePatterns);
    }

    @Override
    public void close() {
        metrics.close();
        store.close();
    }

    /** The tiers behind the cache, for tests that check their sizes. */
    TieredStore store() {
        return store;
    }

    private CompletableFuture<Integer> invalidatePatterns(List<PathPattern> patterns) {
        return store.invalidate(patterns).thenApply(count -> {
            metrics.invalidated(count);
            return count;
        });
    }
}
