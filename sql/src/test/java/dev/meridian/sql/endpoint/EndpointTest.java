package dev.meridian.sql.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.HostPort;
import dev.meridian.sql.postgres.BaseBackup;
import dev.meridian.sql.postgres.PostgresBinaries;
import dev.meridian.sql.postgres.PostgresServer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint in a secondary region, against a real primary and a real hot standby cloned from it, with pgjdbc.
 * The standby applies commits {@value #APPLY_DELAY} late, so a read that should wait and does not, fails.
 */
class EndpointTest {
    private static final String SUPERUSER = "meridian";
    private static final String SUPERUSER_PASSWORD = "meridian-test-secret";
    private static final String APP = "app";
    private static final String APP_PASSWORD = "app-secret";
    private static final String APPLY_DELAY = "400ms";

    @TempDir
    static Path dir;

    static PostgresServer primary;
    static PostgresServer standby;
    static SqlEndpoint secondaryEndpoint;
    static SqlEndpoint primaryEndpoint;

    @BeforeAll
    static void start() throws Exception {
        PostgresBinaries binaries = PostgresBinaries.unpackedIn(dir.resolve("postgres-bin"));
        var primarySettings = new PostgresServer.Settings(dir.resolve("primary"), "127.0.0.1", freePort(), SUPERUSER,
                SUPERUSER_PASSWORD).inRegion("us-east-1");
        primary = PostgresServer.start(binaries, primarySettings);
        try (Connection db = direct(primary)) {
            db.createStatement().execute("CREATE ROLE " + APP + " LOGIN PASSWORD '" + APP_PASSWORD + "'");
            db.createStatement().execute("GRANT CREATE ON SCHEMA public TO " + APP);
        }
        var standbySettings = new PostgresServer.Settings(dir.resolve("standby"), "127.0.0.1", freePort(), SUPERUSER,
                SUPERUSER_PASSWORD).inRegion("eu-west-1").standbyOf(new PostgresServer.Upstream("127.0.0.1",
                        primarySettings.port(), SUPERUSER, SUPERUSER_PASSWORD, "eu_west_1"));
        BaseBackup.cloneInto(primary, standbySettings, "eu_west_1");
        standby = PostgresServer.start(binaries, standbySettings);
        setApplyDelay(APPLY_DELAY);

        HostPort primaryAddress = new HostPort("127.0.0.1", primarySettings.port());
        HostPort standbyAddress = new HostPort("127.0.0.1", standbySettings.port());
        secondaryEndpoint = SqlEndpoint.start(settings(Duration.ofSeconds(3)), routes(standbyAddress, false, primaryAddress));
        primaryEndpoint = SqlEndpoint.start(settings(Duration.ofSeconds(3)), routes(primaryAddress, true, primaryAddress));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {secondaryEndpoint, primaryEndpoint, standby, primary}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // the rest still stop
            }
        }
    }

    @BeforeEach
    void freshTable() throws SQLException {
        try (Connection db = direct(primary)) {
            db.createStatement().execute("DROP TABLE IF EXISTS orders");
            db.createStatement().execute("CREATE TABLE orders (id int PRIMARY KEY, item text)");
            db.createStatement().execute("GRANT ALL ON orders TO " + APP);
        }
        awaitStandbyCaughtUp();
    }

    @Test
    void aWriteThroughTheSecondaryIsForwardedAndSessionReadsSeeItAtOnce() throws Exception {
        try (Connection db = secondary(APP, APP_PASSWORD, "session")) {
            db.createStatement().execute("INSERT INTO orders VALUES (1, 'forwarded')");
            assertThat(count(db, "SELECT count(*) FROM orders WHERE id = 1")).isEqualTo(1);
            assertThat(serverIsStandby(db)).as("the read ran on this region's standby").isTrue();
        }
        try (Connection onPrimary = direct(primary)) {
            assertThat(count(onPrimary, "SELECT count(*) FROM orders WHERE id = 1")).isEqualTo(1);
        }
    }

    @Test
    void anEventualReadRightAfterAForwardedWriteDoesNotWait() throws Exception {
        try (Connection db = secondary(APP, APP_PASSWORD, "eventual")) {
            db.createStatement().execute("INSERT INTO orders VALUES (2, 'not yet applied')");
            assertThat(count(db, "SELECT count(*) FROM orders WHERE id = 2"))
                    .as("the standby applies commits " + APPLY_DELAY + " late").isZero();
        }
    }

    @Test
    void aGlobalReadSeesWhatOtherSessionsCommittedOnThePrimary() throws Exception {
        try (Connection writer = direct(primary); Connection reader = secondary(APP, APP_PASSWORD, "global")) {
            writer.createStatement().execute("INSERT INTO orders VALUES (3, 'someone else')");
            assertThat(count(reader, "SELECT count(*) FROM orders WHERE id = 3")).isEqualTo(1);
        }
    }

    @Test
    void aSessionReadTimesOutWithASqlErrorWhenTheReplicaIsTooFarBehind() throws Exception {
        setApplyDelay("5s");
        try (Connection db = secondary(APP, APP_PASSWORD, "session")) {
            db.createStatement().execute("INSERT INTO orders VALUES (4, 'slow replica')");
            assertThatThrownBy(() -> count(db, "SELECT count(*) FROM orders"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"))
                    .hasMessageContaining("meridian.read_consistency = 'session'");
            db.createStatement().execute("SET meridian.read_consistency = 'eventual'");
            assertThat(count(db, "SELECT count(*) FROM orders")).isZero();
        } finally {
            setApplyDelay(APPLY_DELAY);
        }
    }

    @Test
    void aTransactionThatReadsOnTheStandbyThenWritesMovesWholeToThePrimary() throws Exception {
        try (Connection db = secondary(APP, APP_PASSWORD, "eventual")) {
            db.setAutoCommit(false);
            assertThat(count(db, "SELECT count(*) FROM orders")).isZero();
            assertThat(serverIsStandby(db)).isTrue();
            db.createStatement().execute("INSERT INTO orders VALUES (5, 'in a transaction')");
            assertThat(serverIsStandby(db)).as("the rest of the transaction runs on the primary").isFalse();
            assertThat(count(db, "SELECT count(*) FROM orders WHERE id = 5")).isEqualTo(1);
            db.commit();
        }
        try (Connection onPrimary = direct(primary)) {
            assertThat(count(onPrimary, "SELECT count(*) FROM orders WHERE id = 5")).isEqualTo(1);
        }
    }

    @Test
    void aRolledBackForwardedTransactionLeavesNothing() throws Exception {
        try (Connection db = secondary(APP, APP_PASSWORD, "session")) {
            db.setAutoCommit(false);
            db.createStatement().execute("INSERT INTO orders VALUES (6, 'rolled back')");
            db.rollback();
            db.setAutoCommit(true);
            assertThat(count(db, "SELECT count(*) FROM orders WHERE id = 6")).isZero();
        }
    }

    @Test
    void preparedStatementsWorkAcrossTheStandbyAndThePrimary() throws Exception {
        Properties properties = credentials(APP, APP_PASSWORD, "session");
        properties.setProperty("prepareThreshold", "1"); // named server-side statements from the first use
        try (Connection db = DriverManager.getConnection(url(secondaryEndpoint), properties);
                PreparedStatement insert = db.prepareStatement("INSERT INTO orders VALUES (?, ?)");
                PreparedStatement select = db.prepareStatement("SELECT item FROM orders WHERE id = ?")) {
            for (int id = 10; id < 15; id++) {
                insert.setInt(1, id);
                insert.setString(2, "item " + id);
                insert.executeUpdate();
                select.setInt(1, id);
                try (ResultSet row = select.executeQuery()) {
                    assertThat(row.next()).as("row %d read back", id).isTrue();
                    assertThat(row.getString(1)).isEqualTo("item " + id);
                }
            }
            insert.setInt(1, 100);
            insert.setString(2, "batched");
            insert.addBatch();
            insert.setInt(1, 101);
            insert.addBatch();
            assertThat(insert.executeBatch()).containsExactly(1, 1);
        }
    }

    @Test
    void schemaChangesThroughTheSecondaryAreForwarded() throws Exception {
        try (Connection db = secondary(SUPERUSER, SUPERUSER_PASSWORD, "session")) {
            db.createStatement().execute("CREATE TABLE made_in_secondary (id int)");
            db.createStatement().execute("INSERT INTO made_in_secondary VALUES (1)");
            assertThat(count(db, "SELECT count(*) FROM made_in_secondary")).isEqualTo(1);
            db.createStatement().execute("DROP TABLE made_in_secondary");
        }
    }

    @Test
    void theReadConsistencySettingIsCheckedAndShown() throws Exception {
        try (Connection db = secondary(APP, APP_PASSWORD, "global")) {
            assertThatThrownBy(() -> db.createStatement().execute("SET meridian.read_consistency = 'strong'"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22023"));
            db.createStatement().execute("SET meridian.read_consistency TO session");
            try (ResultSet row = db.createStatement().executeQuery("SHOW meridian.read_consistency")) {
                row.next();
                assertThat(row.getString(1)).isEqualTo("session");
            }
        }
    }

    @Test
    void psqlWritesThroughTheSecondaryAndReadsItsWriteBackUnderSession() throws Exception {
        String out = psql(APP_PASSWORD, "-c", "SET meridian.read_consistency = 'session'",
                "-c", "INSERT INTO orders VALUES (8, 'from psql')", "-c", "SELECT item, pg_is_in_recovery() FROM orders");
        assertThat(out).contains("INSERT 0 1").containsPattern("from psql\\|t");
        assertThat(psql("wrong", "-c", "SELECT 1")).contains("password authentication failed for user \"app\"");
    }

    /** Runs psql (libpq, with its own SCRAM client) against the secondary's endpoint; its output and errors. */
    private static String psql(String password, String... args) throws Exception {
        var command = new ArrayList<>(List.of("psql", "-X", "-A", "-t", "-h", "127.0.0.1", "-p",
                Integer.toString(secondaryEndpoint.port()), "-U", APP, "-d", "postgres"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", password);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void wrongPasswordsAndUnknownUsersAreRefusedAsPostgresRefusesThem() {
        assertThatThrownBy(() -> secondary(APP, "wrong", "eventual"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"))
                .hasMessageContaining("password authentication failed for user \"app\"");
        assertThatThrownBy(() -> secondary("nobody", "x", "eventual"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void thePrimaryRegionsEndpointPassesThrough() throws Exception {
        try (Connection db = DriverManager.getConnection(url(primaryEndpoint), credentials(APP, APP_PASSWORD, "eventual"))) {
            db.createStatement().execute("INSERT INTO orders VALUES (7, 'direct')");
            assertThat(count(db, "SELECT count(*) FROM orders WHERE id = 7")).isEqualTo(1);
            assertThat(serverIsStandby(db)).isFalse();
        }
    }

    @Test
    void brokenProtocolInputGetsPostgresErrorsAndTheEndpointKeepsServing() throws Exception {
        // A startup packet claiming 3 bytes.
        assertThat(fatalAfter(secondaryEndpoint, ByteBuffer.allocate(8).putInt(3).putInt(196608).array(), false))
                .contains("08P01").contains("invalid length of startup packet");
        // Protocol 2.0.
        assertThat(fatalAfter(secondaryEndpoint, ByteBuffer.allocate(8).putInt(8).putInt(2 << 16).array(), false))
                .contains("0A000");
        // After logging in: an unknown message type, then a message longer than the limit.
        assertThat(fatalAfter(secondaryEndpoint, new byte[] {'?', 0, 0, 0, 4}, true)).contains("08P01");
        assertThat(fatalAfter(secondaryEndpoint, ByteBuffer.allocate(5).put((byte) 'Q').putInt(Integer.MAX_VALUE).array(),
                true)).contains("54000");
        try (Connection db = secondary(APP, APP_PASSWORD, "eventual")) {
            assertThat(count(db, "SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void aCancelledQueryIsCancelledOnItsServer() throws Exception {
        try (Connection db = secondary(APP, APP_PASSWORD, "eventual"); Statement statement = db.createStatement()) {
            statement.setQueryTimeout(1);
            assertThatThrownBy(() -> statement.execute("SELECT pg_sleep(30)"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
            assertThat(count(db, "SELECT 1")).isEqualTo(1);
        }
    }

    /** Sends {@code bytes} (after a successful login when {@code loggedIn}) and returns the FATAL error's fields. */
    private static String fatalAfter(SqlEndpoint endpoint, byte[] bytes, boolean loggedIn) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", endpoint.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            var in = new DataInputStream(socket.getInputStream());
            if (loggedIn) {
                RawLogin.login(in, out, APP, APP_PASSWORD);
            }
            out.write(bytes);
            out.flush();
            while (true) {
                byte type = in.readByte();
                byte[] body = new byte[in.readInt() - 4];
                in.readFully(body);
                if (type == 'E') {
                    String fields = new String(body, StandardCharsets.UTF_8);
                    assertThat(fields).contains("FATAL");
                    assertThat(in.read()).as("the connection is closed after a FATAL error").isEqualTo(-1);
                    return fields;
                }
            }
        }
    }

    private static boolean serverIsStandby(Connection db) throws SQLException {
        try (ResultSet row = db.createStatement().executeQuery("SELECT pg_is_in_recovery()")) {
            row.next();
            return row.getBoolean(1);
        }
    }

    private static long count(Connection db, String sql) throws SQLException {
        try (ResultSet row = db.createStatement().executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static void setApplyDelay(String delay) throws SQLException {
        try (Connection db = direct(standby)) {
            db.createStatement().execute("ALTER SYSTEM SET recovery_min_apply_delay = '" + delay + "'");
            db.createStatement().execute("SELECT pg_reload_conf()");
        }
    }

    private static void awaitStandbyCaughtUp() throws SQLException {
        try (Connection onPrimary = direct(primary); Connection onStandby = direct(standby)) {
            var target = dev.meridian.sql.postgres.WalPositions.current(onPrimary);
            dev.meridian.sql.postgres.WalPositions.awaitReplayed(onStandby, target, Duration.ofSeconds(30));
        }
    }

    private static Connection secondary(String user, String password, String consistency) throws SQLException {
        return DriverManager.getConnection(url(secondaryEndpoint), credentials(user, password, consistency));
    }

    private static Properties credentials(String user, String password, String consistency) {
        var properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("options", "-c meridian.read_consistency=" + consistency);
        return properties;
    }

    private static String url(SqlEndpoint endpoint) {
        return "jdbc:postgresql://127.0.0.1:" + endpoint.port() + "/postgres";
    }

    private static Connection direct(PostgresServer server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl("postgres"), SUPERUSER, SUPERUSER_PASSWORD);
    }

    private static EndpointSettings settings(Duration readWait) {
        return new EndpointSettings("127.0.0.1", 0, Map.of(SUPERUSER, SUPERUSER_PASSWORD, APP, APP_PASSWORD), SUPERUSER,
                ReadConsistency.EVENTUAL, readWait, 1 << 20, 50);
    }

    private static ServerRoutes routes(HostPort local, boolean localIsPrimary, HostPort primary) {
        return new ServerRoutes() {
            @Override
            public Optional<HostPort> local() {
                return Optional.of(local);
            }

            @Override
            public boolean localIsPrimary() {
                return localIsPrimary;
            }

            @Override
            public HostPort primary() {
                return primary;
            }
        };
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
