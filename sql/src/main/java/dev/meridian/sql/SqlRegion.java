package dev.meridian.sql;

import com.linecorp.armeria.server.HttpService;
import dev.meridian.core.HostPort;
import dev.meridian.core.RegionConfig;
import dev.meridian.core.RegionConfig.SqlSettings;
import dev.meridian.control.ControlPlane;
import dev.meridian.control.Heartbeat;
import dev.meridian.sql.endpoint.EndpointSettings;
import dev.meridian.sql.endpoint.ReadConsistency;
import dev.meridian.sql.endpoint.ServerRoutes;
import dev.meridian.sql.endpoint.SqlEndpoint;
import dev.meridian.sql.postgres.BaseBackupService;
import dev.meridian.sql.postgres.Lsn;
import dev.meridian.sql.postgres.PostgresBinaries;
import dev.meridian.sql.postgres.PostgresServer;
import dev.meridian.sql.postgres.WalPositions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This region's part of the SQL layer: its PostgreSQL server, kept by a {@link RoleKeeper} in the role the
 * control plane (or, without one, the configuration) gives it — read-write primary or hot standby — and its
 * PostgreSQL-protocol endpoint. A standby whose data directory is new is cloned from the primary's region through
 * the peer port ({@value #BASE_BACKUP_PATH}), then streams WAL from the primary's server through its own
 * replication slot (named after this region). With an external server, Meridian only routes to it and reports.
 */
public final class SqlRegion implements AutoCloseable {
    public static final String BASE_BACKUP_PATH = "/_meridian/sql/base-backup";
    private static final Logger log = LoggerFactory.getLogger(SqlRegion.class);
    /** PostgreSQL accepts messages up to 1 GB; the endpoint buffers each whole, so it takes at most this. */
    private static final int MAX_CLIENT_MESSAGE_BYTES = 64 << 20;
    private static final int MAX_CLIENT_CONNECTIONS = 500;
    private static final Duration SWITCHOVER_CATCH_UP = Duration.ofSeconds(30);

    /** What a switchover did: the old and new primary, the new epoch, and the old primary's last WAL position. */
    public record Switchover(String from, String to, long epoch, String finalLsn) {}

    private final RegionConfig config;
    private final SqlSettings sql;
    private final SqlRoles roles;
    private final RoleKeeper keeper;
    private final Thread keeperThread;
    private final StandbyLagMonitor externalLag;
    private SqlEndpoint endpoint;

    private SqlRegion(RegionConfig config, SqlRoles roles) {
        this.config = config;
        this.sql = config.sqlSettings().orElseThrow();
        this.roles = roles;
        var settings = new PostgresServer.Settings(config.dataDir().resolve("postgres"), sql.listenAddress(),
                sql.serverPort(), sql.superuser(), sql.password()).inRegion(config.region());
        this.keeper = new RoleKeeper(config, roles, PostgresBinaries.unpackedIn(config.dataDir().resolve("postgres-bin")),
                settings);
        this.keeperThread = new Thread(keeper, "sql-roles");
        this.keeperThread.setDaemon(true);
        this.externalLag = sql.externalServer() == null ? null : new StandbyLagMonitor("jdbc:postgresql://"
                + sql.externalServer() + "/postgres", sql.superuser(), sql.password(), Clock.systemUTC());
    }

    /**
     * Starts the SQL layer. With a fixed primary, the primary region's server runs before this returns; every other
     * role change (a standby's clone, a failover) happens on the keeper's thread. With an external server nothing is
     * started: the region uses it as it is. The endpoint, when configured, starts at once.
     */
    public static SqlRegion start(RegionConfig config, Optional<ControlPlane> control) {
        SqlSettings sql = config.sqlSettings().orElseThrow(() -> new IllegalArgumentException("no sql section"));
        SqlRoles roles = control.<SqlRoles>map(AgreedRoles::new).orElseGet(() -> new FixedRoles(sql.primary()));
        var region = new SqlRegion(config, roles);
        if (sql.externalServer() != null) {
            setUpExternalPrimary(config);
        } else {
            region.keeperThread.start();
            if (control.isEmpty() && sql.primary().equals(config.region())) {
                region.awaitPrimary();
            }
        }
        if (sql.endpointPort() != null) {
            region.endpoint = SqlEndpoint.start(new EndpointSettings(sql.listenAddress(), sql.endpointPort(),
                    sql.passwords(), sql.superuser(), ReadConsistency.parse(sql.readConsistency()).orElseThrow(),
                    sql.readWaitTimeout(), MAX_CLIENT_MESSAGE_BYTES, MAX_CLIENT_CONNECTIONS), region.routes());
        }
        return region;
    }

    /** What this region reports to the control plane each heartbeat: its WAL position, and if it can be promoted. */
    public Heartbeat heartbeat() {
        Optional<Lsn> position = keeper.walPosition();
        return new Heartbeat(position.map(Lsn::bytes).orElse(-1L), keeper.mode() == RoleKeeper.Mode.STANDBY
                && position.isPresent());
    }

    /** The endpoint's port, when this region runs one. */
    public Optional<Integer> endpointPort() {
        return Optional.ofNullable(endpoint).map(SqlEndpoint::port);
    }

    /** What this region serves other regions on its peer port: base backups, while it is the primary. */
    public Map<String, HttpService> peerServices() {
        return Map.of(BASE_BACKUP_PATH, new BaseBackupService(keeper::primaryServer));
    }

    /** This region's role and, in the primary region, every other region's standby: its stream state and lag. */
    public SqlStatus status() {
        SqlRoles.Role role = roles.current();
        Optional<SqlStatus.LastFailover> last = roles.lastChange().map(change -> new SqlStatus.LastFailover(
                change.from(), change.to(), change.epoch(), change.planned(), change.rpoBytesEstimate(),
                keeper.lastRpo().map(FailoverRecords.Rpo::bytes).orElse(null),
                keeper.lastRpo().map(FailoverRecords.Rpo::transactions).orElse(null)));
        Optional<StandbyLagMonitor> lag = sql.externalServer() != null && isConfiguredPrimary()
                ? Optional.of(externalLag) : keeper.lag();
        if (lag.isEmpty()) {
            String state = keeper.fenced() ? "fenced"
                    : keeper.mode() == RoleKeeper.Mode.NONE && sql.externalServer() == null ? "starting" : "running";
            return new SqlStatus("standby", state, role.primary(), role.epoch(), sql.serverPort(), List.of(),
                    last.orElse(null));
        }
        Map<String, WalPositions.StandbyLag> connected = lag.get().current();
        var standbys = new ArrayList<SqlStatus.Standby>();
        for (RegionConfig.Peer peer : config.peers()) {
            WalPositions.StandbyLag standby = connected.get(slotName(peer.name()));
            standbys.add(standby == null
                    ? new SqlStatus.Standby(peer.name(), "disconnected", null, null)
                    : new SqlStatus.Standby(peer.name(), standby.state(), standby.bytes(),
                            standby.replayLag().map(d -> d.toNanos() / 1e9).orElse(0.0)));
        }
        return new SqlStatus("primary", "running", role.primary(), role.epoch(), sql.serverPort(), standbys,
                last.orElse(null));
    }

    /**
     * A planned change of primary to {@code to}, losing nothing: this region (the primary) stops its server — its
     * walsenders hand every standby all WAL first — waits until {@code to} has received everything up to the last
     * position, then has the control plane make {@code to} the primary. This region then re-clones as a standby.
     */
    public synchronized Switchover switchover(String to) throws Exception {
        SqlRoles.Role role = roles.current();
        if (!role.primary().equals(config.region()) || keeper.primaryServer().isEmpty()) {
            throw new IllegalStateException("this region is not serving as the SQL primary (" + role.primary()
                    + " is, in epoch " + role.epoch() + "); ask that region");
        }
        if (config.peer(to).isEmpty()) {
            throw new IllegalArgumentException("'" + to + "' is not one of this region's peers");
        }
        WalPositions.StandbyLag target = keeper.lag().orElseThrow().current().get(slotName(to));
        if (target == null || !target.state().equals("streaming")) {
            throw new IllegalStateException(to + "'s standby is not streaming from this primary; a switchover to it"
                    + " could lose writes");
        }
        keeper.pause(true);
        try {
            Lsn last;
            try (Connection db = keeper.connect(keeper.localServer())) {
                last = WalPositions.current(db);
            }
            keeper.stopServer();
            awaitReceived(to, last);
            SqlRoles.Role next = roles.changePrimary(to, role.epoch(), true)
                    .get(SWITCHOVER_CATCH_UP.toSeconds(), TimeUnit.SECONDS);
            log.warn("event=sql_switchover from={} to={} epoch={} final_lsn={}", config.region(), to, next.epoch(), last);
            return new Switchover(config.region(), to, next.epoch(), last.toString());
        } finally {
            keeper.pause(false);
        }
    }

    private void awaitReceived(String region, Lsn last) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + SWITCHOVER_CATCH_UP.toNanos();
        try (Connection standby = keeper.connect(keeper.primaryAddress(region))) {
            while (true) {
                try (var row = standby.createStatement().executeQuery("SELECT pg_last_wal_receive_lsn()::text")) {
                    row.next();
                    if (row.getString(1) != null && !Lsn.parse(row.getString(1)).isBefore(last)) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(region + " did not receive the primary's WAL up to " + last
                            + " within " + SWITCHOVER_CATCH_UP.toSeconds() + " s; the switchover is abandoned and"
                            + " this region serves as the primary again");
                }
                Thread.sleep(20);
            }
        }
    }

    private boolean isConfiguredPrimary() {
        return sql.primary().equals(config.region());
    }

    private void awaitPrimary() {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (keeper.primaryServer().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the primary's PostgreSQL did not start within 3 minutes; see "
                        + keeper.serverDir().resolve("postgres.log"));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting PostgreSQL", e);
            }
        }
    }

    /** An external primary gets the users, the status function and the failover table, as an embedded one would. */
    private static void setUpExternalPrimary(RegionConfig config) {
        SqlSettings sql = config.sqlSettings().orElseThrow();
        if (!sql.primary().equals(config.region())) {
            return;
        }
        try {
            DatabaseSetup.apply("jdbc:postgresql://" + sql.externalServer() + "/postgres", sql.superuser(),
                    sql.password(), sql.users());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set up users and meridian.global_db_status() on the external"
                    + " server " + sql.externalServer() + ": " + e.getMessage(), e);
        }
    }

    private ServerRoutes routes() {
        return new ServerRoutes() {
            @Override
            public Optional<HostPort> local() {
                if (sql.externalServer() != null) {
                    return Optional.of(HostPort.parse("sql.externalServer", sql.externalServer()));
                }
                return keeper.mode() == RoleKeeper.Mode.NONE ? Optional.empty() : Optional.of(keeper.localServer());
            }

            @Override
            public boolean localIsPrimary() {
                return sql.externalServer() != null ? isConfiguredPrimary() : keeper.mode() == RoleKeeper.Mode.PRIMARY;
            }

            @Override
            public HostPort primary() {
                String primary = sql.externalServer() != null ? sql.primary() : roles.current().primary();
                return primary.equals(config.region()) ? local().orElse(keeper.localServer())
                        : keeper.primaryAddress(primary);
            }
        };
    }

    /** A replication slot name PostgreSQL accepts, from a region name ({@code eu-west-1} → {@code eu_west_1}). */
    static String slotName(String region) {
        return region.replace('-', '_');
    }

    /** Stops the endpoint, the keeper and the server, then leaves the control plane. */
    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        keeper.close();
        keeperThread.interrupt();
        try {
            keeperThread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        keeper.stopAll();
        roles.close();
    }
}
