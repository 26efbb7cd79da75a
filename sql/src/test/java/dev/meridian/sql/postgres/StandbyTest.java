package dev.meridian.sql.postgres;

import static dev.meridian.sql.postgres.LocalPostgres.PASSWORD;
import static dev.meridian.sql.postgres.LocalPostgres.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.server.Server;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hot standby cloned from a running primary streams its later commits and refuses writes. */
class StandbyTest {
    @TempDir
    Path dir;

    PostgresBinaries binaries;
    PostgresServer.Settings primarySettings;

    @BeforeEach
    void unpack() {
        binaries = PostgresBinaries.unpackedIn(dir.resolve("postgres-bin"));
        primarySettings = LocalPostgres.settings(dir.resolve("primary"));
    }

    /** A standby of the primary, streaming through {@code slot}. */
    private PostgresServer.Settings standby(String slot) {
        return LocalPostgres.settings(dir.resolve("standby"))
                .standbyOf(new PostgresServer.Upstream("127.0.0.1", primarySettings.port(), USER, PASSWORD, slot));
    }

    private static void createOrders(Connection db, int rows) throws SQLException {
        db.createStatement().execute("CREATE TABLE orders (id int PRIMARY KEY, item text)");
        db.createStatement().execute("INSERT INTO orders SELECT g, 'item ' || g FROM generate_series(1, " + rows + ") g");
    }

    @Test
    void aClonedStandbyStreamsThePrimarysCommitsAndIsReadOnly() throws Exception {
        var standbySettings = standby("eu_west_1");

        try (PostgresServer primary = PostgresServer.start(binaries, primarySettings);
                Connection onPrimary = DriverManager.getConnection(primary.jdbcUrl("postgres"), USER, PASSWORD)) {
            createOrders(onPrimary, 1);

            BaseBackup.cloneInto(primary, standbySettings, "eu_west_1");
            onPrimary.createStatement().execute("INSERT INTO orders VALUES (2, 'during catch-up')");

            try (PostgresServer standby = PostgresServer.start(binaries, standbySettings);
                    Connection onStandby = DriverManager.getConnection(standby.jdbcUrl("postgres"), USER, PASSWORD)) {
                var recovery = onStandby.createStatement().executeQuery("SELECT pg_is_in_recovery()");
                recovery.next();
                assertThat(recovery.getBoolean(1)).isTrue();

                onPrimary.createStatement().execute("INSERT INTO orders VALUES (3, 'after the standby started')");
                await().atMost(Duration.ofSeconds(30)).until(() -> count(onStandby) == 3);

                assertThatThrownBy(() -> onStandby.createStatement().execute("INSERT INTO orders VALUES (4, 'x')"))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
                assertThat(WalPositions.lagByStandby(onPrimary)).containsKey("eu_west_1");
                assertThat(WalPositions.lagByStandby(onPrimary).get("eu_west_1").state()).isEqualTo("streaming");

                // A read that must see a commit waits for the standby to replay the primary's position after it.
                onPrimary.createStatement().execute("INSERT INTO orders VALUES (5, 'read after write')");
                WalPositions.awaitReplayed(onStandby, WalPositions.current(onPrimary), Duration.ofSeconds(10));
                assertThat(count(onStandby)).isEqualTo(4);
                Lsn future = new Lsn(WalPositions.current(onPrimary).bytes() + (1L << 30));
                assertThatThrownBy(() -> WalPositions.awaitReplayed(onStandby, future, Duration.ofMillis(200)))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
                var slot = onPrimary.createStatement().executeQuery(
                        "SELECT active FROM pg_replication_slots WHERE slot_name = 'eu_west_1'");
                assertThat(slot.next()).isTrue();
                assertThat(slot.getBoolean(1)).isTrue();
            }
        }
    }

    @Test
    void aStandbyClonesItselfOverHttpFromThePrimarysRegion() throws Exception {
        var standbySettings = standby("ap_southeast_1");

        try (PostgresServer primary = PostgresServer.start(binaries, primarySettings);
                Connection onPrimary = DriverManager.getConnection(primary.jdbcUrl("postgres"), USER, PASSWORD)) {
            createOrders(onPrimary, 1000);
            Server peerPort = Server.builder().http(0).service("/sql/base-backup", new BaseBackupService(() -> Optional.of(primary))).build();
            peerPort.start().join();
            try {
                URI service = URI.create("http://127.0.0.1:" + peerPort.activeLocalPort() + "/sql/base-backup");
                assertThatThrownBy(() -> BaseBackupDownload.into(service, "Not-A-Slot!", standbySettings))
                        .hasMessageContaining("HTTP 400");

                BaseBackupDownload.into(service, "ap_southeast_1", standbySettings);
            } finally {
                peerPort.stop().join();
            }

            try (PostgresServer standby = PostgresServer.start(binaries, standbySettings);
                    Connection onStandby = DriverManager.getConnection(standby.jdbcUrl("postgres"), USER, PASSWORD)) {
                assertThat(count(onStandby)).isEqualTo(1000);
                onPrimary.createStatement().execute("INSERT INTO orders VALUES (1001, 'streamed')");
                await().atMost(Duration.ofSeconds(30)).until(() -> count(onStandby) == 1001);
            }
        }
    }

    private static long count(Connection db) throws SQLException {
        var rows = db.createStatement().executeQuery("SELECT count(*) FROM orders");
        rows.next();
        return rows.getLong(1);
    }
}
