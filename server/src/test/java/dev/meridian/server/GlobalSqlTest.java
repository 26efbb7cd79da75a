package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.testkit.DelayMatrix;
import dev.meridian.testkit.LocalCluster;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL layer across three real region processes through the WAN emulator: the primary region's PostgreSQL takes
 * writes, and each secondary clones itself from it, streams its WAL, serves reads and refuses writes.
 */
class GlobalSqlTest {
    private static final String PRIMARY = "us-east-1";
    private static final List<String> SECONDARIES = List.of("eu-west-1", "ap-southeast-1");

    @TempDir
    Path dir;

    @Test
    void secondariesCloneThePrimaryStreamItsCommitsAndCatchUpAfterALinkCut() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().dataRoot(dir).delays(DelayMatrix.uniform(Duration.ofMillis(20)))
                .sql(PRIMARY).start();
                Connection primary = connect(cluster, PRIMARY)) {
            primary.createStatement().execute("CREATE TABLE accounts (id int PRIMARY KEY, owner text)");
            primary.createStatement().execute("INSERT INTO accounts VALUES (1, 'ada'), (2, 'grace')");

            for (String region : SECONDARIES) {
                await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
                    try (Connection secondary = connect(cluster, region)) {
                        return count(secondary) == 2;
                    }
                });
            }
            assertStandbysStreamAsThePrimarySees(cluster);
            try (Connection secondary = connect(cluster, "eu-west-1")) {
                assertThatThrownBy(() -> secondary.createStatement().execute("INSERT INTO accounts VALUES (3, 'x')"))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
            }

            cluster.wan().cut(PRIMARY, "ap-southeast-1");
            primary.createStatement().execute("INSERT INTO accounts VALUES (3, 'while cut')");
            try (Connection cutOff = connect(cluster, "ap-southeast-1");
                    Connection reachable = connect(cluster, "eu-west-1")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> count(reachable) == 3);
                assertThat(count(cutOff)).isEqualTo(2);
                cluster.wan().heal(PRIMARY, "ap-southeast-1");
                await().atMost(Duration.ofSeconds(60)).until(() -> count(cutOff) == 3);
            }
        }
    }

    @Test
    void everyRegionsEndpointServesReadsLocallyAndForwardsWritesWithTheConsistencyAsked() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().dataRoot(dir).delays(DelayMatrix.uniform(Duration.ofMillis(40)))
                .sql(PRIMARY).start();
                Connection primary = endpoint(cluster, PRIMARY, "eventual")) {
            primary.createStatement().execute("CREATE TABLE orders (id int PRIMARY KEY, item text)");
            primary.createStatement().execute("INSERT INTO orders VALUES (1, 'made on the primary')");
            for (String region : SECONDARIES) {
                // Until its standby is up, a secondary's endpoint reads on the primary; wait for the standby.
                await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
                    try (Connection secondary = endpoint(cluster, region, "eventual")) {
                        return count(secondary, "SELECT count(*) FROM orders WHERE pg_is_in_recovery()") == 1;
                    }
                });
            }

            try (Connection eu = endpoint(cluster, "eu-west-1", "session")) {
                eu.createStatement().execute("INSERT INTO orders VALUES (2, 'forwarded from eu-west-1')");
                assertThat(count(eu, "SELECT count(*) FROM orders WHERE id = 2"))
                        .as("SESSION reads its own forwarded write at once").isEqualTo(1);
                assertThat(count(eu, "SELECT count(*) FROM orders WHERE pg_is_in_recovery()"))
                        .as("and reads it on eu-west-1's standby").isEqualTo(2);
            }
            assertThat(count(primary, "SELECT count(*) FROM orders WHERE id = 2")).isEqualTo(1);

            try (Connection ap = endpoint(cluster, "ap-southeast-1", "global")) {
                for (int id = 3; id < 8; id++) {
                    primary.createStatement().execute("INSERT INTO orders VALUES (" + id + ", 'someone else')");
                    assertThat(count(ap, "SELECT count(*) FROM orders WHERE id = " + id))
                            .as("GLOBAL sees the primary's commit %d made before the read", id).isEqualTo(1);
                }
            }

            assertBadInputIsRefusedAndTheEndpointServesOn(cluster, "eu-west-1");

            try (Connection ap = endpoint(cluster, "ap-southeast-1", "eventual");
                    var rows = ap.createStatement().executeQuery(
                            "SELECT region, role, state, lag_bytes FROM meridian.global_db_status()")) {
                var seen = new HashMap<String, String>();
                while (rows.next()) {
                    seen.put(rows.getString("region"), rows.getString("role") + "/" + rows.getString("state"));
                    assertThat(rows.getLong("lag_bytes")).isNotNegative();
                }
                assertThat(seen).containsEntry(PRIMARY, "primary/running")
                        .containsEntry("eu-west-1", "secondary/streaming")
                        .containsEntry("ap-southeast-1", "secondary/streaming");
            }
        }
    }

    /** A wrong password, a broken startup packet and a huge message get PostgreSQL's errors; the region serves on. */
    private static void assertBadInputIsRefusedAndTheEndpointServesOn(LocalCluster cluster, String region)
            throws Exception {
        var sql = cluster.config(region).sqlSettings().orElseThrow();
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + sql.endpointPort()
                + "/postgres", sql.superuser(), "not the password"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
        for (byte[] garbage : List.of(new byte[] {0, 0, 0, 3, 1, 2, 3, 4},
                ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(196608).array())) {
            try (var socket = new Socket("127.0.0.1", sql.endpointPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(garbage);
                byte[] answer = socket.getInputStream().readAllBytes();
                assertThat(new String(answer, StandardCharsets.UTF_8))
                        .startsWith("E").contains("FATAL").contains("08P01");
            }
        }
        try (Connection db = endpoint(cluster, region, "eventual")) {
            assertThat(count(db, "SELECT 1")).isEqualTo(1);
        }
    }

    /** What `meridian status` and /metrics show: both standbys streaming, with a lag. */
    private static void assertStandbysStreamAsThePrimarySees(LocalCluster cluster) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI endpoint = cluster.endpoint(PRIMARY);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode sql = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(endpoint.resolve("/_meridian/status"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body()).path("sql");
            assertThat(sql.path("role").asText()).isEqualTo("primary");
            assertThat(sql.path("standbys").findValuesAsText("state")).containsExactly("streaming", "streaming");
        });
        String metrics = http.send(HttpRequest.newBuilder(endpoint.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("meridian_sql_replication_streaming\\{standby=\"eu-west-1\"} 1\\.0");
        assertThat(metrics).containsPattern("meridian_sql_replication_lag_bytes\\{standby=\"ap-southeast-1\"} [0-9]");
    }

    private static Connection connect(LocalCluster cluster, String region) throws SQLException {
        var sql = cluster.config(region).sqlSettings().orElseThrow();
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + sql.serverPort() + "/postgres",
                sql.superuser(), sql.password());
    }

    private static Connection endpoint(LocalCluster cluster, String region, String consistency) throws SQLException {
        return SqlEndpoints.connect(cluster, region, consistency);
    }

    private static long count(Connection db, String sql) throws SQLException {
        return SqlEndpoints.count(db, sql);
    }

    private static long count(Connection db) throws SQLException {
        var rows = db.createStatement().executeQuery("SELECT count(*) FROM accounts");
        rows.next();
        return rows.getLong(1);
    }
}
