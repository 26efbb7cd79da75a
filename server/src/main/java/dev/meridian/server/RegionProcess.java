package dev.meridian.server;

import com.linecorp.armeria.server.HttpService;
import dev.meridian.control.ControlPlane;
import dev.meridian.control.Heartbeat;
import dev.meridian.core.RegionConfig;
import dev.meridian.core.SkewedClock;
import dev.meridian.fabric.Fabric;
import dev.meridian.objects.ObjectStore;
import dev.meridian.objects.replication.ObjectReplication;
import dev.meridian.objects.replication.ReplicationSettings;
import dev.meridian.server.http.HttpFrontDoor;
import dev.meridian.server.http.ReadThrough;
import dev.meridian.sql.SqlRegion;
import dev.meridian.tables.TablesService;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running region: its fabric, its layers (tables, objects; SQL when configured), and the HTTP port in front of
 * them.
 * Closing stops them in order.
 *
 * <p>The fabric (whose hybrid clock stamps every write) and the tables, objects and HTTP layers read the time from one
 * clock: the system clock, unless the system property {@value SkewedClock#FILE_PROPERTY} names a file, whose number of
 * milliseconds then moves this region's clock ahead (negative: behind) while it runs ({@link SkewedClock}). The fault
 * harness sets it to skew one region's clock; nothing else should.
 */
public final class RegionProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RegionProcess.class);

    private final Fabric fabric;
    private final TablesService tables;
    private final ObjectReplication objectReplication;
    private final HttpFrontDoor http;
    private final Optional<SqlRegion> sql;
    private final Optional<ControlPlane> control;

    private RegionProcess(Fabric fabric, TablesService tables, ObjectReplication objectReplication, HttpFrontDoor http,
            Optional<SqlRegion> sql, Optional<ControlPlane> control) {
        this.fabric = fabric;
        this.tables = tables;
        this.objectReplication = objectReplication;
        this.http = http;
        this.sql = sql;
        this.control = control;
    }

    public static RegionProcess start(RegionConfig config) {
        var meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        Clock clock = wallClock();
        var agreedWrites = new LateAgreedStore();
        var sqlLayer = new AtomicReference<SqlRegion>();
        Optional<ControlPlane> control = config.controlSettings().map(settings -> ControlPlane.start(
                ControlMembers.of(config), () -> Optional.ofNullable(sqlLayer.get()).map(SqlRegion::heartbeat)
                        .orElse(Heartbeat.NOT_ELIGIBLE), Optional.of(agreedWrites)));
        // The primary's PostgreSQL starts before the fabric: its peer port serves the base backups secondaries clone
        // from. Until the SQL layer is up, this region's control-plane member reports it cannot be promoted.
        Optional<SqlRegion> sql = config.sqlSettings().map(settings -> SqlRegion.start(config, control));
        sql.ifPresent(sqlLayer::set);
        var peerServices = new HashMap<String, HttpService>(sql.map(SqlRegion::peerServices).orElse(Map.of()));
        var objectBytes = new LateBoundService();
        peerServices.put(ObjectReplication.PEER_ROUTE, objectBytes);
        var readThroughRelay = new LateBoundService();
        peerServices.put(ReadThrough.ROUTE, readThroughRelay);
        Fabric fabric = Fabric.open(config, meters, clock, peerServices);
        agreedWrites.bind(fabric);
        TablesService tables = new TablesService(fabric, clock, control.map(ControlPlane::strongLog));
        tables.start();
        ObjectStore objects = ObjectStore.open(fabric, config.dataDir().resolve("objects"), clock);
        var objectReplication = new ObjectReplication(config, fabric, objects, meters, clock,
                ReplicationSettings.DEFAULTS);
        objectBytes.bind(objectReplication.peerService());
        objectReplication.start();
        HttpFrontDoor http = HttpFrontDoor.start(config, fabric, tables, objects, objectReplication, sql,
                meters, clock);
        readThroughRelay.bind(ReadThrough.relay(http.port()));
        sql.ifPresent(region -> SqlGauges.register(meters, config, region));
        log.info("event=region_started region={} http_port={} peer_port={} data_dir={}",
                config.region(), http.port(), fabric.peerPort(), config.dataDir());
        return new RegionProcess(fabric, tables, objectReplication, http, sql, control);
    }

    private static Clock wallClock() {
        String skewFile = System.getProperty(SkewedClock.FILE_PROPERTY);
        return skewFile == null ? Clock.systemUTC() : SkewedClock.readingFrom(Path.of(skewFile));
    }

    public int httpPort() {
        return http.port();
    }

    @Override
    public void close() {
        log.info("event=region_stopping region={}", fabric.region());
        http.close();
        objectReplication.close();
        tables.close();
        if (sql.isEmpty()) {
            control.ifPresent(ControlPlane::close); // otherwise the SQL layer leaves the control plane last
        }
        fabric.close();
        sql.ifPresent(SqlRegion::close);
    }
}
