package dev.meridian.server;

import dev.meridian.control.ControlPlane;
import dev.meridian.control.Heartbeat;
import dev.meridian.core.RegionConfig;
import dev.meridian.fabric.Fabric;
import dev.meridian.server.http.HttpFrontDoor;
import dev.meridian.sql.SqlRegion;
import dev.meridian.tables.TablesService;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running region: its fabric, its layers (tables; SQL when configured), and the HTTP port in front of them.
 * Closing stops them in order.
 */
public final class RegionProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RegionProcess.class);

    private final Fabric fabric;
    private final TablesService tables;
    private final HttpFrontDoor http;
    private final Optional<SqlRegion> sql;

    private RegionProcess(Fabric fabric, TablesService tables, HttpFrontDoor http, Optional<SqlRegion> sql) {
        this.fabric = fabric;
        this.tables = tables;
        this.http = http;
        this.sql = sql;
    }

    public static RegionProcess start(RegionConfig config) {
        var meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        Clock clock = Clock.systemUTC();
        // The primary's PostgreSQL starts first: its peer port serves the base backups secondaries clone from.
        Optional<SqlRegion> sql = config.sqlSettings().map(settings -> startSql(config));
        Fabric fabric = Fabric.open(config, meters, clock, sql.map(SqlRegion::peerServices).orElse(Map.of()));
        TablesService tables = new TablesService(fabric, clock);
        tables.start();
        HttpFrontDoor http = HttpFrontDoor.start(config, fabric, tables, sql, meters, clock);
        sql.ifPresent(region -> SqlGauges.register(meters, config, region));
        log.info("event=region_started region={} http_port={} peer_port={} data_dir={}",
                config.region(), http.port(), fabric.peerPort(), config.dataDir());
        return new RegionProcess(fabric, tables, http, sql);
    }

    /**
     * The SQL layer, and before it this region's member of the control plane when configured. Until the SQL layer is
     * up, the member reports a heartbeat that cannot be promoted.
     */
    private static SqlRegion startSql(RegionConfig config) {
        var sqlLayer = new AtomicReference<SqlRegion>();
        Optional<ControlPlane> control = config.controlSettings().map(settings -> ControlPlane.start(
                ControlMembers.of(config), () -> Optional.ofNullable(sqlLayer.get()).map(SqlRegion::heartbeat)
                        .orElse(Heartbeat.NOT_ELIGIBLE)));
        SqlRegion region = SqlRegion.start(config, control);
        sqlLayer.set(region);
        return region;
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
        sql.ifPresent(SqlRegion::close);
    }
}
