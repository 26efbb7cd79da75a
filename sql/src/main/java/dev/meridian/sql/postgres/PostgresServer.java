package dev.meridian.sql.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One region's PostgreSQL server: its data directory is initialised on first start ({@code initdb}, password
 * authentication with SCRAM-SHA-256 for the configured superuser), and the server is started and stopped with
 * {@code pg_ctl} as the {@link ServiceAccount}. Everything lives under one directory: {@code data/} (PGDATA),
 * {@code postgres.log} (the server's log) and {@code tools.log} (what initdb and pg_ctl printed).
 */
public final class PostgresServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String MERIDIAN_CONF = "meridian.conf";
    private static final String STAND_DOWN = "stand-down";

    /**
     * Where the server keeps its files, the address it listens on, its superuser, and, for a hot standby, the
     * primary it streams from (empty for a primary).
     */
    public record Settings(Path dir, String host, int port, String superuser, String password,
            Optional<Upstream> upstream, String region) {
        public Settings(Path dir, String host, int port, String superuser, String password) {
            this(dir, host, port, superuser, password, Optional.empty(), "");
        }

        public Settings standbyOf(Upstream primary) {
            return new Settings(dir, host, port, superuser, password, Optional.of(primary), region);
        }

        /** The same server, told which region it serves ({@code meridian.region}, read by SQL functions). */
        public Settings inRegion(String name) {
            return new Settings(dir, host, port, superuser, password, upstream, name);
        }

        /** The address clients on this machine reach the server at. */
        public String connectHost() {
            return isWildcard(host) ? "127.0.0.1" : host;
        }

        /** PGDATA. */
        public Path data() {
            return dir.resolve("data");
        }
    }

    /**
     * The primary a standby streams WAL from, as which user, through which replication slot (the slot's name is
     * also the standby's {@code application_name} in the primary's {@code pg_stat_replication}).
     */
    public record Upstream(String host, int port, String user, String password, String slot) {
        String conninfo() {
            return "host=" + host + " port=" + port + " user=" + user + " password=" + password
                    + " application_name=" + slot;
        }
    }

    private final PostgresBinaries binaries;
    private final ServiceAccount account;
    private final Settings settings;
    /** Started in recovery with no primary to stream from: it replays its own WAL and stays read-only. */
    private final boolean recoveryOnly;
    private Process lifeline;

    private PostgresServer(PostgresBinaries binaries, ServiceAccount account, Settings settings, boolean recoveryOnly) {
        this.binaries = binaries;
        this.account = account;
        this.settings = settings;
        this.recoveryOnly = recoveryOnly;
    }

    /** Initialises the data directory if it is new, then starts the server and waits until it accepts connections. */
    public static PostgresServer start(PostgresBinaries binaries, Settings settings) {
        return start(new PostgresServer(binaries, ServiceAccount.forThisProcess(), settings, false));
    }

    /**
     * Starts an existing data directory read-only, as a standby with nothing to stream from: it replays the WAL it
     * has and stops there, accepting reads. How a fenced old primary is examined before it is re-cloned: its data
     * can be read, and no write can reach it.
     */
    public static PostgresServer startRecoveryOnly(PostgresBinaries binaries, Settings settings) {
        if (!Files.exists(settings.data().resolve("PG_VERSION"))) {
            throw new IllegalStateException("no data directory at " + settings.data() + " to examine");
        }
        return start(new PostgresServer(binaries, ServiceAccount.forThisProcess(), settings, true));
    }

    private static PostgresServer start(PostgresServer server) {
        Settings settings = server.settings;
        try {
            server.account.own(settings.dir());
            if (!Files.exists(settings.data().resolve("PG_VERSION"))) {
                if (settings.upstream().isPresent()) {
                    throw new IllegalStateException("the standby's data directory " + settings.data()
                            + " is empty: clone it from the primary first (BaseBackup)");
                }
                server.initdb();
            }
            server.writeConfig();
            server.stopLeftover();
            long started = System.nanoTime();
            server.pgCtl(START_TIMEOUT, "-l", settings.dir().resolve("postgres.log").toString(), "-w",
                    "-t", Long.toString(START_TIMEOUT.toSeconds()), "start");
            server.lifeline = server.startLifeline();
            log.info("event=postgres_started dir={} address={}:{} ms={}", settings.dir(), settings.host(), settings.port(),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare PostgreSQL in " + settings.dir() + ": " + e.getMessage(), e);
        }
        return server;
    }

    public Settings settings() {
        return settings;
    }

    Path dataDirectory() {
        return settings.data();
    }

    /** A pgjdbc URL for {@code database} on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + settings.connectHost() + ":" + settings.port() + "/" + database;
    }

    /** Ends recovery: a standby becomes a read-write primary on a new timeline. Returns once it accepts writes. */
    public void promote() {
        pgCtl(START_TIMEOUT, "-w", "-t", Long.toString(START_TIMEOUT.toSeconds()), "promote");
        log.info("event=postgres_promoted dir={}", settings.dir());
    }

    /**
     * Stops a server running on {@code settings}' data directory that no {@code PostgresServer} holds: one whose start
     * was interrupted after PostgreSQL came up. A region calls this last when it stops.
     */
    public static void stopUnheld(PostgresBinaries binaries, Settings settings) {
        if (Files.exists(settings.data().resolve("PG_VERSION"))) {
            new PostgresServer(binaries, ServiceAccount.forThisProcess(), settings, false).stopLeftover();
        }
    }

    /**
     * A process that stops the server the moment this JVM dies, however it dies: it reads a pipe only this JVM
     * writes to, and on end-of-file stops PostgreSQL at once. A region killed with {@code kill -9} so leaves no
     * server behind still taking writes (a primary nobody fences any more), and its standbys notice at once. A
     * normal stop first tells it to stand down, so it never touches a later server in the same directory.
     */
    private Process startLifeline() throws IOException {
        String script = "if read -r word && [ \"$word\" = " + STAND_DOWN + " ]; then exit 0; fi; exec '"
                + binaries.bin("pg_ctl") + "' -D '" + settings.data() + "' -m immediate stop >/dev/null 2>&1";
        return new ProcessBuilder(account.command(List.of("/bin/sh", "-c", script)))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private void standDownLifeline() {
        if (lifeline == null) {
            return;
        }
        try (var out = lifeline.getOutputStream()) {
            out.write((STAND_DOWN + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // it is gone already
        }
        try {
            if (!lifeline.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                log.warn("event=postgres_lifeline_stuck dir={}", settings.dir());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server: fast shutdown (open transactions roll back, committed ones are on disk). */
    @Override
    public void close() {
        standDownLifeline();
        if (pgCtlStatus() != 0) {
            log.warn("event=postgres_already_stopped dir={} hint=\"see {}\"", settings.dir(),
                    settings.dir().resolve("postgres.log"));
            return;
        }
        pgCtl(Duration.ofSeconds(60), "-m", "fast", "-w", "stop");
        log.info("event=postgres_stopped dir={}", settings.dir());
    }

    private void initdb() throws IOException {
        Path passwordFile = settings.dir().resolve("initdb.pw");
        Files.writeString(passwordFile, settings.password() + "\n", StandardCharsets.UTF_8);
        account.own(passwordFile.getParent());
        try {
            run(Duration.ofSeconds(120), binaries.bin("initdb").toString(), "-D", settings.data().toString(),
                    "-U", settings.superuser(), "--pwfile=" + passwordFile, "--auth=scram-sha-256", "-E", "UTF8",
                    "--no-locale");
        } finally {
            Files.deleteIfExists(passwordFile);
        }
        Files.writeString(settings.data().resolve("postgresql.conf"),
                "\n# Meridian's settings; rewritten at every start.\ninclude '" + MERIDIAN_CONF + "'\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        log.info("event=postgres_initialized dir={} superuser={}", settings.data(), settings.superuser());
    }

    private void writeConfig() throws IOException {
        // TCP only, on the configured address: no Unix socket in a directory the service account may not own.
        var lines = new ArrayList<>(List.of(
                "listen_addresses = '" + settings.host() + "'",
                "port = " + settings.port(),
                "unix_socket_directories = ''",
                "meridian.region = '" + settings.region() + "'"));
        Path standbySignal = settings.data().resolve("standby.signal");
        if (recoveryOnly) {
            Files.writeString(standbySignal, "");
        } else if (settings.upstream().isPresent()) {
            Upstream primary = settings.upstream().get();
            lines.add("primary_conninfo = '" + primary.conninfo().replace("'", "''") + "'");
            lines.add("primary_slot_name = '" + primary.slot() + "'");
            Files.writeString(standbySignal, "");
        } else {
            Files.deleteIfExists(standbySignal);
        }
        lines.add("");
        Files.writeString(settings.data().resolve(MERIDIAN_CONF), String.join("\n", lines), StandardCharsets.UTF_8);
        Files.writeString(settings.data().resolve("pg_hba.conf"), hba(), StandardCharsets.UTF_8);
        account.own(settings.data());
    }

    /**
     * Who may connect: password (SCRAM) logins and replication from this machine, and from anywhere when the server
     * listens beyond loopback (a standby in another region streams from it).
     */
    private String hba() {
        var lines = new ArrayList<>(List.of(
                "# Written by Meridian at every start.",
                "host all all 127.0.0.1/32 scram-sha-256",
                "host all all ::1/128 scram-sha-256",
                "host replication all 127.0.0.1/32 scram-sha-256",
                "host replication all ::1/128 scram-sha-256"));
        if (!settings.host().equals("127.0.0.1") && !settings.host().equals("localhost")) {
            lines.add("host all all all scram-sha-256");
            lines.add("host replication all all scram-sha-256");
        }
        lines.add("");
        return String.join("\n", lines);
    }

    private static boolean isWildcard(String host) {
        return host.equals("*") || host.equals("0.0.0.0") || host.equals("::");
    }

    /** A server left running by a region process that was killed would hold the port and the data directory. */
    private void stopLeftover() {
        if (Files.exists(settings.data().resolve("postmaster.pid")) && pgCtlStatus() == 0) {
            log.warn("event=postgres_leftover_stopping dir={} reason=\"a server from an earlier run is still running\"",
                    settings.data());
            pgCtl(Duration.ofSeconds(60), "-m", "fast", "-w", "stop");
        }
    }

    private int pgCtlStatus() {
        return exec(Duration.ofSeconds(30), binaries.bin("pg_ctl").toString(), "-D", settings.data().toString(), "status");
    }

    private void pgCtl(Duration timeout, String... args) {
        var command = new ArrayList<>(List.of(binaries.bin("pg_ctl").toString(), "-D", settings.data().toString()));
        command.addAll(List.of(args));
        run(timeout, command.toArray(String[]::new));
    }

    private void run(Duration timeout, String... command) {
        int exit = exec(timeout, command);
        if (exit != 0) {
            throw new IllegalStateException(Path.of(command[0]).getFileName() + " failed (exit " + exit + "); see "
                    + settings.dir().resolve("tools.log") + " and " + settings.dir().resolve("postgres.log"));
        }
    }

    private int exec(Duration timeout, String... command) {
        Path toolsLog = settings.dir().resolve("tools.log");
        return Commands.run(account.command(List.of(command)), settings.dir(),
                ProcessBuilder.Redirect.appendTo(toolsLog.toFile()), timeout);
    }
}
