package dev.meridian.gateway.proxy;

import com.linecorp.armeria.common.HttpStatus;
import dev.meridian.gateway.RegionTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** The gateway's per-region request figures: rate by status class, latency to the response headers, retries. */
final class ProxyMetrics {
    private final MeterRegistry meters;

    ProxyMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void responded(RegionTarget region, HttpStatus status, long startedNanos) {
        Counter.builder("meridian.gateway.requests").description("requests answered by a region, by status class")
                .tag("region", region.name()).tag("status", status.codeClass().name().toLowerCase())
                .register(meters).increment();
        Timer.builder("meridian.gateway.request.latency")
                .description("time from sending a request to a region to its response headers")
                .tag("region", region.name())
                .register(meters).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    void failed(RegionTarget region, String why) {
        Counter.builder("meridian.gateway.request.failures")
                .description("requests that got no response from a region (connect failures, resets, timeouts)")
                .tag("region", region.name()).tag("why", why)
                .register(meters).increment();
    }

    void retried(RegionTarget from, RegionTarget to) {
        Counter.builder("meridian.gateway.retries").description("reads sent again to the next region")
                .tag("from", from.name()).tag("to", to.name())
                .register(meters).increment();
    }

    void unrouted() {
        Counter.builder("meridian.gateway.unrouted").description("requests refused because no region was healthy")
                .register(meters).increment();
    }
}
