package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.control.ControlSettings;
import dev.meridian.control.Witness;
import dev.meridian.testkit.DelayMatrix;
import dev.meridian.testkit.LocalCluster;
import dev.meridian.testkit.QuietPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover of the SQL primary across three region processes, agreed through the control plane (Ratis) over the
 * WAN emulator, with the default 10 s failover timeout: kill -9, a partition, and a planned switchover; and across
 * two regions with a witness.
 */
class SqlFailoverTest {
    private static final String OLD_PRIMARY = "us-east-1";
    private static final List<String> SURVIVORS = List.of("eu-west-1", "ap-southeast-1");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void killingThePrimaryRegionMovesWritesToASurvivorAndTheOldPrimaryRejoinsFenced() throws Exception {
        try (LocalCluster cluster = start()) {
            writeAndAwaitEverywhere(cluster, 1, 20);

            long killed = System.nanoTime();
            cluster.kill9(OLD_PRIMARY);
            for (String region : SURVIVORS) {
                awaitWriteThrough(cluster, region, region.equals("eu-west-1") ? 100 : 200);
            }
            double rtoSeconds = (System.nanoTime() - killed) / 1e9;
            assertThat(rtoSeconds).as("writes resumed %.1f s after the kill", rtoSeconds).isLessThan(45);
            String newPrimary = primaryAsSeenBy(cluster, "eu-west-1");
            assertThat(SURVIVORS).contains(newPrimary);
            try (Connection db = endpoint(cluster, newPrimary)) {
                assertThat(count(db, "SELECT count(*) FROM orders WHERE id BETWEEN 1 AND 20"))
                        .as("what every standby had replayed before the kill survives").isEqualTo(20);
            }

            cluster.restart(OLD_PRIMARY);
            // The old primary comes back fenced: its data is measured, thrown away and re-cloned; its endpoint
            // forwards writes to the new primary.
            awaitWriteThrough(cluster, OLD_PRIMARY, 300);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                JsonNode sql = status(cluster, OLD_PRIMARY);
                assertThat(sql.path("role").asText()).isEqualTo("standby");
                assertThat(sql.path("primary").asText()).isEqualTo(newPrimary);
                assertThat(sql.path("epoch").asLong()).isEqualTo(2);
            });
            try (Connection db = endpoint(cluster, newPrimary)) {
                assertThat(count(db, "SELECT count(*) FROM orders WHERE id = 300"))
                        .as("the write through the old primary's region landed on the new primary").isEqualTo(1);
                await().atMost(Duration.ofSeconds(60)).until(() -> count(db,
                        "SELECT count(*) FROM meridian.failovers WHERE epoch = 2 AND rpo_bytes IS NOT NULL") == 1);
                assertThat(count(db, "SELECT count(*) FROM meridian.failovers WHERE epoch = 2 AND NOT planned"
                        + " AND from_region = '" + OLD_PRIMARY + "' AND to_region = '" + newPrimary + "'")).isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
                try (Connection db = endpoint(cluster, OLD_PRIMARY)) {
                    return count(db, "SELECT count(*) FROM orders WHERE id = 300 AND pg_is_in_recovery()") == 1;
                }
            });
        }
    }

    @Test
    void aPrimaryCutOffFromBothPeersRefusesWritesAndTheMajorityElectsANewOne() throws Exception {
        try (LocalCluster cluster = start()) {
            writeAndAwaitEverywhere(cluster, 1, 5);

            cluster.wan().cut(OLD_PRIMARY, "eu-west-1");
            cluster.wan().cut(OLD_PRIMARY, "ap-southeast-1");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(status(cluster, OLD_PRIMARY).path("state").asText()).isEqualTo("fenced"));
            assertThatThrownBy(() -> {
                try (Connection db = endpoint(cluster, OLD_PRIMARY)) {
                    db.createStatement().execute("INSERT INTO orders VALUES (50, 'on the minority side')");
                }
            }).isInstanceOf(SQLException.class);

            awaitWriteThrough(cluster, "eu-west-1", 60);
            String newPrimary = primaryAsSeenBy(cluster, "eu-west-1");
            assertThat(SURVIVORS).contains(newPrimary);

            cluster.wan().heal(OLD_PRIMARY, "eu-west-1");
            cluster.wan().heal(OLD_PRIMARY, "ap-southeast-1");
            awaitWriteThrough(cluster, OLD_PRIMARY, 70);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(status(cluster, OLD_PRIMARY).path("role").asText()).isEqualTo("standby"));
            try (Connection db = endpoint(cluster, newPrimary)) {
                assertThat(count(db, "SELECT count(*) FROM orders WHERE id = 50"))
                        .as("nothing written on the minority side").isZero();
            }
        }
    }

    @Test
    void aSwitchoverLosesNothing() throws Exception {
        try (LocalCluster cluster = start()) {
            writeAndAwaitEverywhere(cluster, 1, 5);
            try (Connection db = endpoint(cluster, OLD_PRIMARY)) {
                // Committed on the primary just before the switchover: the target must have them all.
                db.createStatement().execute("INSERT INTO orders SELECT g, 'just before' FROM generate_series(6, 500) g");
            }
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(cluster.endpoint(OLD_PRIMARY)
                    .resolve("/_meridian/sql/switchover?to=eu-west-1")).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(JSON.readTree(answer.body()).path("epoch").asLong()).isEqualTo(2);

            awaitWriteThrough(cluster, "ap-southeast-1", 600);
            try (Connection db = endpoint(cluster, "eu-west-1")) {
                assertThat(count(db, "SELECT count(*) FROM orders WHERE id <= 500")).isEqualTo(500);
                assertThat(count(db, "SELECT count(*) FROM orders WHERE NOT pg_is_in_recovery()")).isEqualTo(501);
                await().atMost(Duration.ofSeconds(90)).until(() -> count(db, "SELECT count(*) FROM meridian.failovers"
                        + " WHERE epoch = 2 AND planned AND rpo_transactions = 0") == 1);
            }
            awaitWriteThrough(cluster, OLD_PRIMARY, 700);
        }
    }

    @Test
    void twoRegionsAndAWitnessFailOverWhenThePrimaryRegionIsKilled() throws Exception {
        int witnessPort = QuietPorts.pickOne();
        String other = "eu-west-1";
        try (LocalCluster cluster = LocalCluster.builder().dataRoot(dir).regions(OLD_PRIMARY, other)
                .delays(DelayMatrix.uniform(Duration.ofMillis(30))).sql(OLD_PRIMARY).witness(witnessPort).start();
                Witness witness = Witness.start(new ControlSettings(LocalCluster.WITNESS, dir.resolve("witness"),
                        Map.of(OLD_PRIMARY, cluster.controlAddress(OLD_PRIMARY), other, cluster.controlAddress(other)),
                        witnessPort, List.of(OLD_PRIMARY, other, LocalCluster.WITNESS), OLD_PRIMARY))) {
            writeAndAwait(cluster, List.of(other), 1, 5);

            cluster.kill9(OLD_PRIMARY);
            awaitWriteThrough(cluster, other, 100);
            assertThat(primaryAsSeenBy(cluster, other)).isEqualTo(other);
            assertThat(witness.sqlRole().primary()).isEqualTo(other);

            cluster.restart(OLD_PRIMARY);
            awaitWriteThrough(cluster, OLD_PRIMARY, 101);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(status(cluster, OLD_PRIMARY).path("role").asText()).isEqualTo("standby"));
        }
    }

    private LocalCluster start() throws InterruptedException {
        return LocalCluster.builder().dataRoot(dir).delays(DelayMatrix.uniform(Duration.ofMillis(30)))
                .sql(OLD_PRIMARY).start();
    }

    /** Creates the table through the primary's endpoint and waits until every standby serves rows {@code from..to}. */
    private static void writeAndAwaitEverywhere(LocalCluster cluster, int from, int to) throws Exception {
        writeAndAwait(cluster, SURVIVORS, from, to);
    }

    private static void writeAndAwait(LocalCluster cluster, List<String> standbys, int from, int to) throws Exception {
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
            try (Connection db = endpoint(cluster, OLD_PRIMARY)) {
                db.createStatement().execute("CREATE TABLE IF NOT EXISTS orders (id int PRIMARY KEY, item text)");
                db.createStatement().execute("INSERT INTO orders SELECT g, 'before' FROM generate_series(" + from + ", "
                        + to + ") g ON CONFLICT DO NOTHING");
                return true;
            }
        });
        for (String region : standbys) {
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
                try (Connection db = endpoint(cluster, region)) {
                    return count(db, "SELECT count(*) FROM orders WHERE pg_is_in_recovery()") == to - from + 1;
                }
            });
        }
    }

    /** Retries one INSERT through {@code region}'s endpoint, on new connections, until it commits. */
    private static void awaitWriteThrough(LocalCluster cluster, String region, int id) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            try (Connection db = endpoint(cluster, region)) {
                db.createStatement().execute("INSERT INTO orders VALUES (" + id + ", 'via " + region + "')"
                        + " ON CONFLICT DO NOTHING");
                return true;
            }
        });
    }

    private static String primaryAsSeenBy(LocalCluster cluster, String region) throws Exception {
        return status(cluster, region).path("primary").asText();
    }

    private static JsonNode status(LocalCluster cluster, String region) throws Exception {
        URI uri = cluster.endpoint(region).resolve("/_meridian/status");
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body())
                .path("sql");
    }

    private static Connection endpoint(LocalCluster cluster, String region) throws SQLException {
        return SqlEndpoints.connect(cluster, region, "eventual");
    }

    private static long count(Connection db, String sql) throws SQLException {
        return SqlEndpoints.count(db, sql);
    }
}
