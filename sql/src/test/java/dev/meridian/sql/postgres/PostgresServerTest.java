package dev.meridian.sql.postgres;

import static dev.meridian.sql.postgres.LocalPostgres.PASSWORD;
import static dev.meridian.sql.postgres.LocalPostgres.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL binaries, as a region runs them: unpacked, initialised, started, restarted, stopped. */
class PostgresServerTest {
    @TempDir
    Path dir;

    @Test
    void aServerKeepsItsDataAcrossRestartsAndChecksPasswords() throws Exception {
        var binaries = PostgresBinaries.unpackedIn(dir.resolve("postgres-bin"));
        var settings = LocalPostgres.settings(dir.resolve("region/postgres"));

        try (PostgresServer server = PostgresServer.start(binaries, settings);
                Connection db = DriverManager.getConnection(server.jdbcUrl("postgres"), USER, PASSWORD)) {
            db.createStatement().execute("CREATE TABLE accounts (id int PRIMARY KEY, owner text)");
            db.createStatement().execute("INSERT INTO accounts VALUES (1, 'ada'), (2, 'grace')");
            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl("postgres"), USER, "wrong"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
        }

        try (PostgresServer server = PostgresServer.start(PostgresBinaries.unpackedIn(dir.resolve("postgres-bin")), settings);
                Connection db = DriverManager.getConnection(server.jdbcUrl("postgres"), USER, PASSWORD)) {
            var rows = db.createStatement().executeQuery("SELECT owner FROM accounts ORDER BY id");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("ada");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("grace");
            assertThat(rows.next()).isFalse();
            var version = db.createStatement().executeQuery("SHOW server_version");
            version.next();
            assertThat(version.getString(1)).startsWith("16.");
        }
    }
}
