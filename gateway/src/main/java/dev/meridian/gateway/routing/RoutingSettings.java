package dev.meridian.gateway.routing;

import java.time.Duration;
import java.util.Optional;

/**
 * How the gateway picks a region for a request: a region named in {@code pinHeader} (or {@code pinnedRegion} from
 * config) wins while it is healthy; otherwise the client's affinity region while it is healthy; otherwise the
 * lowest-latency healthy region, which becomes the client's affinity region. Affinity is forgotten after
 * {@code affinityIdle} without requests.
 */
public record RoutingSettings(String pinHeader, Optional<String> pinnedRegion, Duration affinityIdle,
        long affinityClients) {
    public static final String DEFAULT_PIN_HEADER = "x-meridian-region";

    public static RoutingSettings defaults() {
        return new RoutingSettings(DEFAULT_PIN_HEADER, Optional.empty(), Duration.ofMinutes(30), 1_000_000);
    }
}
