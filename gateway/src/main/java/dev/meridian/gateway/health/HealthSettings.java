package dev.meridian.gateway.health;

import java.time.Duration;

/**
 * How the gateway probes each region, as Route 53 health checks are configured: the path asked, how often, how long
 * a probe may take, how many failures in a row take a region out and how many successes bring it back. With
 * {@code drainIsolated}, a region that answers but reports no connected peer is taken out too, as long as another
 * region is in (its writes would not reach anyone, and its reads may be stale).
 *
 * <p>The defaults move traffic off a dead region within about two seconds (Route 53's defaults, 30 s and 3
 * failures, take about 90); a refused connection from real traffic takes a region out at once.
 */
public record HealthSettings(String path, Duration interval, Duration timeout, int failureThreshold,
        int successThreshold, boolean drainIsolated) {
    public HealthSettings {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("health check path must start with '/': " + path);
        }
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("health check interval and timeout must be positive");
        }
        if (failureThreshold < 1 || successThreshold < 1) {
            throw new IllegalArgumentException("health check thresholds must be at least 1");
        }
    }

    public static HealthSettings defaults() {
        return new HealthSettings("/health", Duration.ofMillis(500), Duration.ofSeconds(1), 2, 2, true);
    }
}
