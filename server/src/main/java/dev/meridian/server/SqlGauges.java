package dev.meridian.server;

import dev.meridian.core.RegionConfig;
import dev.meridian.sql.SqlRegion;
import dev.meridian.sql.SqlStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * In the SQL primary's region, each standby's lag as Prometheus gauges: {@code meridian_sql_replication_lag_bytes},
 * {@code meridian_sql_replication_lag_seconds} and {@code meridian_sql_replication_streaming} (1 while it streams),
 * tagged {@code standby=<region>}. A standby that is not connected reads NaN for its lag.
 */
final class SqlGauges {
    private SqlGauges() {}

    static void register(MeterRegistry meters, RegionConfig config, SqlRegion sql) {
        if (!config.sqlSettings().orElseThrow().primary().equals(config.region())) {
            return;
        }
        for (RegionConfig.Peer peer : config.peers()) {
            gauge(meters, "meridian.sql.replication.lag.bytes", "WAL bytes the standby has not replayed", sql, peer,
                    s -> s.lagBytes() == null ? Double.NaN : s.lagBytes());
            gauge(meters, "meridian.sql.replication.lag.seconds", "PostgreSQL's replay lag of the standby", sql, peer,
                    s -> s.lagSeconds() == null ? Double.NaN : s.lagSeconds());
            gauge(meters, "meridian.sql.replication.streaming", "1 while the standby streams WAL", sql, peer,
                    s -> "streaming".equals(s.state()) ? 1 : 0);
        }
    }

    private static void gauge(MeterRegistry meters, String name, String description, SqlRegion sql,
            RegionConfig.Peer peer, ToDoubleFunction<SqlStatus.Standby> value) {
        Gauge.builder(name, sql, region -> region.status().standbys().stream()
                        .filter(s -> s.region().equals(peer.name()))
                        .findFirst()
                        .map(value::applyAsDouble)
                        .orElse(Double.NaN))
                .description(description)
                .tag("standby", peer.name())
                .register(meters);
    }
}
