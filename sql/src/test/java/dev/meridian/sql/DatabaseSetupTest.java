package dev.meridian.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.RegionConfig.SqlUser;
import dev.meridian.sql.postgres.PostgresBinaries;
import dev.meridian.sql.postgres.PostgresServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The primary's start-up setup: configured users can log in and make tables; the status function answers. */
class DatabaseSetupTest {
    @TempDir
    Path dir;

    @Test
    void configuredUsersLogInAndTheirPasswordsFollowTheConfig() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var settings = new PostgresServer.Settings(dir.resolve("pg"), "127.0.0.1", port, "meridian", "su-secret")
                .inRegion("us-east-1");
        try (PostgresServer server = PostgresServer.start(PostgresBinaries.unpackedIn(dir.resolve("bin")), settings)) {
            String url = server.jdbcUrl("postgres");
            DatabaseSetup.apply(url, "meridian", "su-secret", List.of(new SqlUser("app", "first 'quoted' secret")));
            try (Connection app = DriverManager.getConnection(url, "app", "first 'quoted' secret")) {
                app.createStatement().execute("CREATE TABLE app_table (id int)");
            }

            DatabaseSetup.apply(url, "meridian", "su-secret", List.of(new SqlUser("app", "second")));
            assertThatThrownBy(() -> DriverManager.getConnection(url, "app", "first 'quoted' secret"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
            try (Connection app = DriverManager.getConnection(url, "app", "second");
                    ResultSet rows = app.createStatement().executeQuery(
                            "SELECT region, role, state FROM meridian.global_db_status()")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("us-east-1");
                assertThat(rows.getString(2)).isEqualTo("primary");
                assertThat(rows.next()).as("no standbys, no slots").isFalse();
            }
        }
    }
}
