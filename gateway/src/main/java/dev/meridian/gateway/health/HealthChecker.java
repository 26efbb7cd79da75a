package dev.meridian.gateway.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import dev.meridian.gateway.RegionDirectory;
import dev.meridian.gateway.RegionTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every region's health path on a schedule (one thread, "gateway-health", owns the schedule; results land
 * on Armeria's event loops) and answers, at any moment, which regions may take traffic and in which order: the
 * {@link RegionDirectory} the router and the DNS responder read. Requests that cannot even connect report here
 * too, so a killed region is taken out by the first refused connection rather than the next probe.
 */
public final class HealthChecker implements RegionDirectory, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);
    /** Latencies closer than this rank by configuration order, so equal regions do not trade places every probe. */
    private static final double LATENCY_BUCKET_MILLIS = 5;

    private final HealthSettings settings;
    private final List<RegionTarget> all;
    private final Map<String, RegionHealth> regions = new LinkedHashMap<>();
    private final Map<String, WebClient> clients = new LinkedHashMap<>();
    private final ScheduledExecutorService schedule;
    private final ObjectMapper json = new ObjectMapper();
    private final MeterRegistry meters;
    private volatile List<RegionTarget> ranked = List.of();

    public HealthChecker(List<RegionTarget> targets, HealthSettings settings, ClientFactory factory,
            MeterRegistry meters) {
        this.settings = settings;
        this.all = List.copyOf(targets);
        this.meters = meters;
        for (RegionTarget target : all) {
            RegionHealth health = new RegionHealth(target, settings);
            regions.put(target.name(), health);
            clients.put(target.name(), WebClient.builder(target.endpoint())
                    .factory(factory)
                    .responseTimeout(settings.timeout())
                    .build());
            Gauge.builder("meridian.gateway.region.in", health, h -> h.state() == RegionHealth.State.IN ? 1 : 0)
                    .description("1 while the region takes traffic from the gateway")
                    .tag("region", target.name()).register(meters);
            Gauge.builder("meridian.gateway.region.probe.latency", health, RegionHealth::latencyMillis)
                    .description("smoothed health-probe latency, milliseconds")
                    .tag("region", target.name()).register(meters);
        }
        this.schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-health");
            t.setDaemon(true);
            return t;
        });
    }

    /** Probes every region once (waiting at most one timeout), then keeps probing every interval. */
    public void start() {
        List<java.util.concurrent.CompletableFuture<?>> first = new ArrayList<>();
        all.forEach(target -> first.add(probe(target)));
        first.forEach(f -> f.handle((ok, e) -> null).join());
        long every = settings.interval().toMillis();
        schedule.scheduleWithFixedDelay(() -> all.forEach(this::probe), every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public List<RegionTarget> all() {
        return all;
    }

    @Override
    public List<RegionTarget> ranked() {
        return ranked;
    }

    /** A request to {@code target} could not connect: nothing answers there, so it goes out now. */
    public void connectFailed(RegionTarget target, Throwable cause) {
        record(target, regions.get(target.name()).failed("connect failed: " + cause, true));
    }

    /** What the probes know, per region, for status pages. */
    public List<RegionView> view() {
        return regions.values().stream()
                .map(h -> new RegionView(h.target().name(), h.target().endpoint().toString(), h.state().name(),
                        h.latencyMillis(), h.isolated(), h.lastFailure(), ranked.contains(h.target())))
                .toList();
    }

    /** One region in {@link #view()}. */
    public record RegionView(String name, String endpoint, String state, double latencyMillis, boolean isolated,
            String lastFailure, boolean takingTraffic) {}

    private java.util.concurrent.CompletableFuture<AggregatedHttpResponse> probe(RegionTarget target) {
        RegionHealth health = regions.get(target.name());
        long started = System.nanoTime();
        return clients.get(target.name()).get(settings.path()).aggregate().whenComplete((res, error) -> {
            double millis = (System.nanoTime() - started) / 1e6;
            if (error != null) {
                record(target, health.failed(error.toString(), false));
            } else if (!res.status().equals(HttpStatus.OK)) {
                record(target, health.failed("status " + res.status().code(), false));
            } else {
                record(target, health.succeeded(millis, isolated(res)));
            }
        });
    }

    /** Whether the region says it has peers and reaches none of them ({@code "peers": {"name": "connected"}}). */
    private boolean isolated(AggregatedHttpResponse res) {
        try {
            JsonNode peers = json.readTree(res.contentUtf8()).path("peers");
            if (!peers.isObject() || peers.isEmpty()) {
                return false;
            }
            for (JsonNode state : peers) {
                if ("connected".equals(state.asText())) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void record(RegionTarget target, boolean changed) {
        if (changed) {
            RegionHealth health = regions.get(target.name());
            if (health.state() == RegionHealth.State.IN) {
                log.info("event=region_in region={}", target.name());
            } else {
                log.warn("event=region_out region={} why=\"{}\"", target.name(), health.lastFailure());
            }
            Counter.builder("meridian.gateway.region.changes").description("times a region went in or out")
                    .tag("region", target.name()).tag("state", health.state().name().toLowerCase())
                    .register(meters).increment();
        }
        rank();
    }

    private synchronized void rank() {
        List<RegionHealth> in = regions.values().stream().filter(h -> h.state() == RegionHealth.State.IN).toList();
        if (settings.drainIsolated() && in.stream().anyMatch(h -> !h.isolated())) {
            in = in.stream().filter(h -> !h.isolated()).toList();
        }
        List<RegionTarget> next = in.stream()
                .sorted(Comparator.comparingLong(h -> (long) (h.latencyMillis() / LATENCY_BUCKET_MILLIS)))
                .map(RegionHealth::target)
                .toList();
        if (!next.equals(ranked)) {
            ranked = next;
        }
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
