package dev.meridian.sql;

import com.linecorp.armeria.server.HttpService;
import dev.meridian.core.HostPort;
import dev.meridian.core.RegionConfig;
import dev.meridian.core.RegionConfig.SqlSettings;
import dev.meridian.sql.endpoint.EndpointSettings;
import dev.meridian.sql.endpoint.ReadConsistency;
import dev.meridian.sql.endpoint.ServerRoutes;
import dev.meridian.sql.endpoint.SqlEndpoint;
import dev.meridian.sql.postgres.BaseBackupDownload;
import dev.meridian.sql.postgres.BaseBackupService;
import dev.meridian.sql.postgres.PostgresBinaries;
import dev.meridian.sql.postgres.PostgresServer;
import dev.meridian.sql.postgres.WalPositions;
import java.net.URI;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This region's part of the SQL layer: its PostgreSQL server, read-write in the primary region and a hot standby
 * everywhere else. A standby whose data directory is new is cloned from the primary's region through the peer port
 * ({@value #BASE_BACKUP_PATH}), then streams WAL from the primary's server through its own replication slot (named
 * after this region). A secondary bootstraps on a background thread, retrying until the primary's region answers,
 * so the region's other layers serve at once.
 */
public final class SqlRegion implements AutoCloseable {
    public static final String BASE_BACKUP_PATH = "/_meridian/sql/base-backup";
    private static final Logger log = LoggerFactory.getLogger(SqlRegion.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** PostgreSQL accepts messages up to 1 GB; the endpoint buffers each whole, so it takes at most this. */
    private static final int MAX_CLIENT_MESSAGE_BYTES = 64 << 20;
    private static final int MAX_CLIENT_CONNECTIONS = 500;

    private final RegionConfig config;
    private final SqlSettings sql;
    private final PostgresBinaries binaries;
    private final PostgresServer.Settings settings;
    private volatile PostgresServer server;
    /** Whether this region's server (embedded or external) accepts connections. */
    private volatile boolean serving;
    private volatile StandbyLagMonitor lag;
    private volatile boolean closed;
    private Thread bootstrap;
    private SqlEndpoint endpoint;

    private SqlRegion(RegionConfig config, PostgresServer.Settings settings) {
        this.config = config;
        this.sql = config.sqlSettings().orElseThrow();
        this.binaries = PostgresBinaries.unpackedIn(config.dataDir().resolve("postgres-bin"));
        this.settings = settings;
    }

    /**
     * Starts the primary's server before returning; a standby's starts in the background. With an external
     * server nothing is started: the region uses it as it is. The endpoint, when configured, starts at once.
     */
    public static SqlRegion start(RegionConfig config) {
        SqlSettings sql = config.sqlSettings().orElseThrow(() -> new IllegalArgumentException("no sql section"));
        var settings = new PostgresServer.Settings(config.dataDir().resolve("postgres"), sql.listenAddress(),
                sql.serverPort(), sql.superuser(), sql.password()).inRegion(config.region());
        boolean primary = isPrimary(config);
        var region = new SqlRegion(config, primary ? settings : settings.standbyOf(upstream(config, sql)));
        if (sql.externalServer() != null) {
            region.serving = true;
        } else if (primary) {
            region.server = PostgresServer.start(region.binaries, region.settings);
            region.serving = true;
        } else {
            region.bootstrap = new Thread(region::bootstrapStandby, "sql-bootstrap");
            region.bootstrap.setDaemon(true);
            region.bootstrap.start();
        }
        if (primary) {
            HostPort own = region.localServer();
            String url = "jdbc:postgresql://" + own.host() + ":" + own.port() + "/postgres";
            region.lag = new StandbyLagMonitor(url, sql.superuser(), sql.password(), Clock.systemUTC());
            try {
                DatabaseSetup.apply(url, sql.superuser(), sql.password(), sql.users());
            } catch (SQLException e) {
                region.close();
                throw new IllegalStateException("cannot set up users and meridian.global_db_status() on " + own
                        + ": " + e.getMessage(), e);
            }
        }
        if (sql.endpointPort() != null) {
            region.endpoint = SqlEndpoint.start(new EndpointSettings(sql.listenAddress(), sql.endpointPort(),
                    sql.passwords(), sql.superuser(), ReadConsistency.parse(sql.readConsistency()).orElseThrow(),
                    sql.readWaitTimeout(), MAX_CLIENT_MESSAGE_BYTES, MAX_CLIENT_CONNECTIONS), region.routes());
        }
        return region;
    }

    /** The endpoint's port, when this region runs one. */
    public Optional<Integer> endpointPort() {
        return Optional.ofNullable(endpoint).map(SqlEndpoint::port);
    }

    private static boolean isPrimary(RegionConfig config) {
        return config.sqlSettings().orElseThrow().primary().equals(config.region());
    }

    /** This region's server as the region process reaches it. */
    private HostPort localServer() {
        return sql.externalServer() != null
                ? HostPort.parse("sql.externalServer", sql.externalServer())
                : new HostPort(settings.connectHost(), settings.port());
    }

    private ServerRoutes routes() {
        boolean primary = isPrimary(config);
        return new ServerRoutes() {
            @Override
            public Optional<HostPort> local() {
                return serving ? Optional.of(localServer()) : Optional.empty();
            }

            @Override
            public boolean localIsPrimary() {
                return primary;
            }

            @Override
            public HostPort primary() {
                return primary ? localServer()
                        : HostPort.parse("sqlAddress", config.peer(sql.primary()).orElseThrow().sqlAddress());
            }
        };
    }

    /** What this region serves other regions on its peer port: in the primary region, base backups to clone. */
    public Map<String, HttpService> peerServices() {
        PostgresServer current = server;
        return isPrimary(config) && current != null
                ? Map.of(BASE_BACKUP_PATH, new BaseBackupService(current))
                : Map.of();
    }

    /** This region's role and, in the primary region, every other region's standby: its stream state and lag. */
    public SqlStatus status() {
        if (lag == null) {
            return new SqlStatus("standby", serving ? "running" : "bootstrapping", settings.port(), List.of());
        }
        Map<String, WalPositions.StandbyLag> connected = lag.current();
        var standbys = new ArrayList<SqlStatus.Standby>();
        for (RegionConfig.Peer peer : config.peers()) {
            WalPositions.StandbyLag standby = connected.get(slotName(peer.name()));
            standbys.add(standby == null
                    ? new SqlStatus.Standby(peer.name(), "disconnected", null, null)
                    : new SqlStatus.Standby(peer.name(), standby.state(), standby.bytes(),
                            standby.replayLag().map(d -> d.toNanos() / 1e9).orElse(0.0)));
        }
        return new SqlStatus("primary", "running", settings.port(), standbys);
    }

    private static PostgresServer.Upstream upstream(RegionConfig config, SqlSettings sql) {
        HostPort address = HostPort.parse("sqlAddress", config.peer(sql.primary()).orElseThrow().sqlAddress());
        return new PostgresServer.Upstream(address.host(), address.port(), sql.superuser(), sql.password(),
                slotName(config.region()));
    }

    /** A replication slot name PostgreSQL accepts, from a region name ({@code eu-west-1} → {@code eu_west_1}). */
    static String slotName(String region) {
        return region.replace('-', '_');
    }

    private void bootstrapStandby() {
        long backoffMillis = 500;
        int failures = 0;
        while (!closed) {
            try {
                if (!Files.exists(settings.data().resolve("PG_VERSION"))) {
                    String primary = config.sqlSettings().orElseThrow().primary();
                    URI source = URI.create("http://" + config.peer(primary).orElseThrow().address() + BASE_BACKUP_PATH);
                    log.info("event=sql_standby_cloning from={} via={}", primary, source);
                    BaseBackupDownload.into(source, slotName(config.region()), settings);
                }
                server = PostgresServer.start(binaries, settings);
                serving = true;
                log.info("event=sql_standby_started region={} port={}", config.region(), settings.port());
                return;
            } catch (RuntimeException e) {
                failures++;
                if (failures == 1) {
                    log.warn("event=sql_standby_bootstrap_failed error=\"{}\" action=\"retrying with backoff\"",
                            e.getMessage());
                } else {
                    log.debug("event=sql_standby_bootstrap_failed attempt={} error=\"{}\"", failures, e.getMessage());
                }
            }
            try {
                Thread.sleep(backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1));
            } catch (InterruptedException e) {
                return;
            }
            backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
        }
    }

    /** Stops the bootstrap, if still going, and the server. */
    @Override
    public void close() {
        closed = true;
        if (endpoint != null) {
            endpoint.close();
        }
        if (bootstrap != null) {
            bootstrap.interrupt();
            try {
                bootstrap.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        PostgresServer current = server;
        if (current != null) {
            current.close();
        }
    }
}
