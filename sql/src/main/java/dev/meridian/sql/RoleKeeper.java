package dev.meridian.sql;

import dev.meridian.core.HostPort;
import dev.meridian.core.RegionConfig;
import dev.meridian.core.RegionConfig.SqlSettings;
import dev.meridian.sql.postgres.BaseBackupDownload;
import dev.meridian.sql.postgres.Lsn;
import dev.meridian.sql.postgres.PostgresBinaries;
import dev.meridian.sql.postgres.PostgresServer;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this region's PostgreSQL in the role the {@link SqlRoles} give it, on a thread of its own that reconciles
 * every quarter second and at once after a change:
 *
 * <ul>
 *   <li><b>Primary</b>: runs the server read-write, but only while it holds the write lease. Without it (cut off
 *       from a majority) the server is stopped — fenced — so no write is taken that a new primary would not have.
 *   <li><b>Chosen as the new primary</b> (a standby): replays what it received, records the fork point, promotes,
 *       makes replication slots for the others and writes the change into {@code meridian.failovers}.
 *   <li><b>Standby</b>: clones itself from the primary's region if it has no data, then streams from the primary;
 *       when the primary changes it follows the new one (re-cloning if it cannot stream from it within a minute).
 *   <li><b>An old primary</b> (its data was a primary's in an older epoch): starts its data read-only to measure
 *       what it had that the new primary did not (the RPO, recorded in the new primary's {@code meridian.failovers}),
 *       then throws that data away and re-clones from the new primary.
 * </ul>
 */
final class RoleKeeper implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RoleKeeper.class);
    private static final Duration TICK = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Duration STREAM_GRACE = Duration.ofSeconds(60);
    private static final Duration REPLAY_WAIT = Duration.ofSeconds(10);
    /** How long an old primary waits for the new one's record of the change before re-cloning without an RPO. */
    private static final Duration FORK_RECORD_WAIT = Duration.ofSeconds(60);

    enum Mode { NONE, PRIMARY, STANDBY }

    private final RegionConfig config;
    private final SqlSettings sql;
    private final SqlRoles roles;
    private final PostgresBinaries binaries;
    private final PostgresServer.Settings settings;
    private final Object signal = new Object();
    private volatile PostgresServer server;
    private volatile Mode mode = Mode.NONE;
    private volatile String upstreamRegion;
    private volatile boolean fenced;
    private volatile boolean paused;
    private volatile boolean closed;
    private volatile StandbyLagMonitor lag;
    private volatile FailoverRecords.Rpo lastRpo;
    private long standbySinceNanos;
    private boolean streamChecked;
    private long rejoinWaitingSinceNanos;
    private boolean signalled;

    RoleKeeper(RegionConfig config, SqlRoles roles, PostgresBinaries binaries, PostgresServer.Settings settings) {
        this.config = config;
        this.sql = config.sqlSettings().orElseThrow();
        this.roles = roles;
        this.binaries = binaries;
        this.settings = settings;
        roles.onChange(this::wake);
    }

    Mode mode() {
        return mode;
    }

    boolean fenced() {
        return fenced;
    }

    Optional<PostgresServer> primaryServer() {
        PostgresServer current = server;
        return mode == Mode.PRIMARY && current != null ? Optional.of(current) : Optional.empty();
    }

    Optional<StandbyLagMonitor> lag() {
        return mode == Mode.PRIMARY ? Optional.ofNullable(lag) : Optional.empty();
    }

    Optional<FailoverRecords.Rpo> lastRpo() {
        return Optional.ofNullable(lastRpo);
    }

    HostPort localServer() {
        return new HostPort(settings.connectHost(), settings.port());
    }

    /** Holds the reconciling while a switchover stops the primary on purpose. */
    void pause(boolean pause) {
        paused = pause;
        wake();
    }

    /** Stops the server now (a switchover's first step); the primary's walsenders hand the standbys all WAL first. */
    synchronized void stopServer() {
        PostgresServer current = server;
        server = null;
        mode = Mode.NONE;
        lag = null;
        if (current != null) {
            current.close();
        }
    }

    void wake() {
        synchronized (signal) {
            signalled = true;
            signal.notifyAll();
        }
    }

    @Override
    public void run() {
        long backoffMillis = TICK.toMillis();
        int failures = 0;
        while (!closed) {
            try {
                if (!paused) {
                    reconcile();
                }
                failures = 0;
                backoffMillis = TICK.toMillis();
            } catch (Exception e) {
                failures++;
                if (failures == 1) {
                    log.warn("event=sql_role_step_failed error=\"{}\" action=\"retrying with backoff\"", e.getMessage());
                } else {
                    log.debug("event=sql_role_step_failed attempt={} error=\"{}\"", failures, e.getMessage());
                }
                backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
            }
            sleep(failures == 0 ? backoffMillis
                    : backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1));
        }
    }

    void close() {
        closed = true;
        wake();
    }

    /** After the keeper's thread ended: stops its server, or one a start cut short left running. */
    synchronized void stopAll() {
        if (server != null) {
            stopServer();
        } else {
            PostgresServer.stopUnheld(binaries, settings);
        }
    }

    private synchronized void reconcile() throws Exception {
        SqlRoles.Role role = roles.current();
        Optional<LocalRole> local = LocalRole.read(settings.dir());
        if (role.primary().equals(config.region())) {
            if (!roles.holdsWriteLease()) {
                fence();
            } else if (local.isEmpty() || local.get().primary()) {
                if (mode != Mode.PRIMARY) {
                    startPrimary(role);
                }
            } else {
                promote(role);
            }
            return;
        }
        if (local.isPresent() && local.get().primary()) {
            rejoin(role, local.get());
        } else if (local.isEmpty()) {
            cloneFrom(role.primary());
            followPrimary(role);
        } else {
            followPrimary(role);
        }
    }

    private void fence() {
        if (mode == Mode.PRIMARY) {
            log.warn("event=sql_primary_fenced region={} reason=\"no write lease: cut off from the majority\""
                    + " action=\"server stopped; it takes no writes until the majority answers again\"", config.region());
            stopServer();
            fenced = true;
        }
    }

    private void startPrimary(SqlRoles.Role role) throws SQLException {
        stopServer();
        server = PostgresServer.start(binaries, settings);
        new LocalRole(true, role.epoch()).write(settings.dir());
        becomePrimary();
        log.info("event=sql_primary_serving region={} epoch={}", config.region(), role.epoch());
    }

    private void becomePrimary() throws SQLException {
        String url = jdbcUrl(localServer());
        DatabaseSetup.apply(url, sql.superuser(), sql.password(), sql.users());
        try (Connection db = connect(localServer())) {
            for (RegionConfig.Peer peer : config.peers()) {
                try (var create = db.prepareStatement("SELECT pg_create_physical_replication_slot(?, true) WHERE NOT"
                        + " EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = ?)")) {
                    create.setString(1, SqlRegion.slotName(peer.name()));
                    create.setString(2, SqlRegion.slotName(peer.name()));
                    create.execute();
                }
            }
        }
        lag = new StandbyLagMonitor(url, sql.superuser(), sql.password(), Clock.systemUTC());
        upstreamRegion = null;
        fenced = false;
        mode = Mode.PRIMARY;
    }

    /** This standby was chosen: replay what it has, note the fork point, promote, and record the change. */
    private void promote(SqlRoles.Role role) throws Exception {
        if (server == null) {
            server = PostgresServer.startRecoveryOnly(binaries, settings);
            mode = Mode.STANDBY;
        }
        FailoverRecords.ForkPoint fork;
        try (Connection db = connect(localServer())) {
            awaitReplayedAll(db);
            fork = FailoverRecords.forkPoint(db, role.epoch());
        }
        long started = System.nanoTime();
        server.promote();
        new LocalRole(true, role.epoch()).write(settings.dir());
        becomePrimary();
        Optional<SqlRoles.Change> change = roles.lastChange().filter(c -> c.epoch() == role.epoch());
        try (Connection db = connect(localServer())) {
            FailoverRecords.record(db, change.map(SqlRoles.Change::from).orElse(""), config.region(),
                    change.map(SqlRoles.Change::planned).orElse(false), fork);
        }
        log.warn("event=sql_promoted region={} epoch={} fork_lsn={} promote_ms={} rpo_bytes_estimate={}",
                config.region(), role.epoch(), fork.lsn(), (System.nanoTime() - started) / 1_000_000,
                change.map(SqlRoles.Change::rpoBytesEstimate).orElse(0L));
    }

    /** Waits, bounded, until the standby has replayed everything it received (its stream from the old primary ended). */
    private static void awaitReplayedAll(Connection db) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + REPLAY_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (ResultSet row = db.createStatement().executeQuery("SELECT pg_last_wal_receive_lsn() IS NULL"
                    + " OR pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn()")) {
                row.next();
                if (row.getBoolean(1)) {
                    return;
                }
            }
            Thread.sleep(20);
        }
    }

    /** This region's data was the primary's before the epoch moved on: measure what only it had, then re-clone. */
    private void rejoin(SqlRoles.Role role, LocalRole local) throws Exception {
        stopServer();
        Optional<FailoverRecords.ForkPoint> fork;
        try (Connection primary = connect(primaryAddress(role.primary()))) {
            fork = FailoverRecords.firstAwayFrom(primary, config.region(), local.epoch());
        }
        if (fork.isEmpty() && System.nanoTime() - rejoinWaitSince() < FORK_RECORD_WAIT.toNanos()) {
            throw new IllegalStateException("waiting for the new primary " + role.primary() + " to record the change"
                    + " of primary (meridian.failovers) before measuring what this region's data has beyond it");
        }
        rejoinWaitingSinceNanos = 0;
        if (fork.isPresent()) {
            FailoverRecords.Rpo rpo;
            try (PostgresServer old = PostgresServer.startRecoveryOnly(binaries, settings);
                    Connection db = connect(localServer())) {
                rpo = FailoverRecords.measure(db, fork.get());
            }
            try (Connection primary = connect(primaryAddress(role.primary()))) {
                FailoverRecords.recordRpo(primary, fork.get().epoch(), rpo);
            }
            lastRpo = rpo;
            log.warn("event=sql_failover_rpo region={} epoch={} lost_wal_bytes={} lost_transactions={}",
                    config.region(), fork.get().epoch(), rpo.bytes(), rpo.transactions());
        } else {
            log.warn("event=sql_failover_rpo region={} epoch={} error=\"the primary has no record of the change;"
                    + " the RPO is not known\"", config.region(), role.epoch());
        }
        log.info("event=sql_rejoining region={} primary={} epoch={} action=\"re-cloning from the primary\"",
                config.region(), role.primary(), role.epoch());
        cloneFrom(role.primary());
        new LocalRole(false, role.epoch()).write(settings.dir());
        followPrimary(role);
    }

    private long rejoinWaitSince() {
        if (rejoinWaitingSinceNanos == 0) {
            rejoinWaitingSinceNanos = System.nanoTime();
        }
        return rejoinWaitingSinceNanos;
    }

    /** Streams from the current primary: (re)starts the standby pointed at it, and re-clones if it cannot stream. */
    private void followPrimary(SqlRoles.Role role) throws Exception {
        if (mode == Mode.STANDBY && role.primary().equals(upstreamRegion) && server != null) {
            // Checked once, a grace period after pointing at this primary: a standby that could not follow the
            // new primary's timeline by then never will.
            if (!streamChecked && System.nanoTime() - standbySinceNanos > STREAM_GRACE.toNanos()) {
                streamChecked = true;
                if (!streaming()) {
                    log.warn("event=sql_standby_not_streaming region={} primary={} action=\"re-cloning\"",
                            config.region(), role.primary());
                    stopServer();
                    cloneFrom(role.primary());
                    followPrimary(role);
                }
            }
            return;
        }
        stopServer();
        HostPort address = primaryAddress(role.primary());
        server = PostgresServer.start(binaries, settings.standbyOf(new PostgresServer.Upstream(address.host(),
                address.port(), sql.superuser(), sql.password(), SqlRegion.slotName(config.region()))));
        new LocalRole(false, role.epoch()).write(settings.dir());
        upstreamRegion = role.primary();
        standbySinceNanos = System.nanoTime();
        streamChecked = false;
        mode = Mode.STANDBY;
        log.info("event=sql_standby_started region={} primary={} epoch={}", config.region(), role.primary(),
                role.epoch());
    }

    private boolean streaming() {
        try (Connection db = connect(localServer());
                ResultSet row = db.createStatement().executeQuery("SELECT status FROM pg_stat_wal_receiver")) {
            return row.next() && "streaming".equals(row.getString(1));
        } catch (SQLException e) {
            return false;
        }
    }

    private void cloneFrom(String primary) {
        URI source = URI.create("http://" + config.peer(primary).orElseThrow().address() + SqlRegion.BASE_BACKUP_PATH);
        log.info("event=sql_standby_cloning from={} via={}", primary, source);
        BaseBackupDownload.into(source, SqlRegion.slotName(config.region()), settings);
    }

    /** The primary's server as this region reaches it: its own, or through the link to the primary's region. */
    HostPort primaryAddress(String primary) {
        return primary.equals(config.region()) ? localServer()
                : HostPort.parse("sqlAddress", config.peer(primary).orElseThrow().sqlAddress());
    }

    /** This region's WAL position for the control plane: the primary's current, or what a standby received. */
    Optional<Lsn> walPosition() {
        if (server == null || mode == Mode.NONE) {
            return Optional.empty();
        }
        String query = mode == Mode.PRIMARY ? "SELECT pg_current_wal_lsn()::text"
                : "SELECT coalesce(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::text";
        try (Connection db = connect(localServer()); ResultSet row = db.createStatement().executeQuery(query)) {
            return row.next() && row.getString(1) != null ? Optional.of(Lsn.parse(row.getString(1))) : Optional.empty();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    Path serverDir() {
        return settings.dir();
    }

    Connection connect(HostPort server) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(server) + "?connectTimeout=5&socketTimeout=30", sql.superuser(),
                sql.password());
    }

    private static String jdbcUrl(HostPort server) {
        return "jdbc:postgresql://" + server.host() + ":" + server.port() + "/postgres";
    }

    private void sleep(long millis) {
        synchronized (signal) {
            if (!signalled) {
                try {
                    signal.wait(millis);
                } catch (InterruptedException e) {
                    closed = true;
                }
            }
            signalled = false;
        }
    }
}
