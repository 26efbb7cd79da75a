package dev.meridian.server;

import dev.meridian.core.RegionConfig;
import dev.meridian.fabric.Fabric;
import dev.meridian.server.http.HttpFrontDoor;
import dev.meridian.tables.TablesService;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running region: its fabric, its layers, and the HTTP port in front of them. Closing stops them in order. */
public final class RegionProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RegionProcess.class);

    private final Fabric fabric;
    private final TablesService tables;
    private final HttpFrontDoor http;

    private RegionProcess(Fabric fabric, TablesService tables, HttpFrontDoor http) {
        this.fabric = fabric;
        this.tables = tables;
        this.http = http;
    }

    public static RegionProcess start(RegionConfig config) {
        var meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        Clock clock = Clock.systemUTC();
        Fabric fabric = Fabric.open(config, meters, clock);
        TablesService tables = new TablesService(fabric, clock);
        tables.start();
        HttpFrontDoor http = HttpFrontDoor.start(config, fabric, tables, meters, clock);
        log.info("event=region_started region={} http_port={} peer_port={} data_dir={}",
                config.region(), http.port(), fabric.peerPort(), config.dataDir());
        return new RegionProcess(fabric, tables, http);
    }

    public int httpPort() {
        return http.port();
    }

    @Override
    public void close() {
        log.info("event=region_stopping region={}", fabric.region());
        http.close();
        tables.close();
        fabric.close();
    }
}
