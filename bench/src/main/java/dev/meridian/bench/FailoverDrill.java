package dev.meridian.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.core.RegionConfig;
import dev.meridian.testkit.LocalCluster;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Failovers under write load, one after another: kill -9 the primary's region, time until a write through a
 * surviving region's endpoint commits (the RTO), restart the killed region, and read the RPO it measured when it
 * rejoined from {@code meridian.failovers}. Then one planned switchover under the same load.
 */
final class FailoverDrill {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(3);

    /** One change of primary: how long writes were refused, and what the old primary had that the new one lacks. */
    record Outcome(String from, String to, boolean planned, double rtoSeconds, long rpoBytes, long rpoTransactions) {}

    private final LocalCluster cluster;
    private final HttpClient http = HttpClient.newHttpClient();

    FailoverDrill(LocalCluster cluster) {
        this.cluster = cluster;
    }

    Outcome killPrimary() throws Exception {
        String primary = awaitEveryStandbyStreaming();
        try (var load = new BackgroundWrites(primary)) {
            Thread.sleep(2_000);
            long killed = System.nanoTime();
            cluster.kill9(primary);
            awaitWrite(cluster.regions().stream().filter(r -> !r.equals(primary)).toList());
            double rto = (System.nanoTime() - killed) / 1e9;
            load.stop();
            cluster.restart(primary);
            return measured(primary, false, rto);
        }
    }

    Outcome switchover() throws Exception {
        String primary = awaitEveryStandbyStreaming();
        String target = cluster.regions().stream().filter(r -> !r.equals(primary)).findFirst().orElseThrow();
        try (var load = new BackgroundWrites(primary)) {
            Thread.sleep(2_000);
            long started = System.nanoTime();
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(cluster.endpoint(primary)
                    .resolve("/_meridian/sql/switchover?to=" + target)).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("the switchover was refused: " + answer.body());
            }
            awaitWrite(List.of(target));
            double rto = (System.nanoTime() - started) / 1e9;
            load.stop();
            return measured(primary, true, rto);
        }
    }

    /** Waits until the old primary has rejoined and its measured RPO is in the new primary's failover record. */
    private Outcome measured(String oldPrimary, boolean planned, double rto) throws Exception {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection db = endpoint(oldPrimary);
                    ResultSet row = db.createStatement().executeQuery("SELECT to_region, rpo_bytes, rpo_transactions"
                            + " FROM meridian.failovers WHERE from_region = '" + oldPrimary + "' AND rpo_bytes IS NOT"
                            + " NULL ORDER BY epoch DESC LIMIT 1")) {
                if (row.next() && !row.getString(1).equals(oldPrimary)
                        && row.getString(1).equals(primary())) {
                    return new Outcome(oldPrimary, row.getString(1), planned, rto, row.getLong(2), row.getLong(3));
                }
            } catch (SQLException | IOException e) {
                // still rejoining
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(oldPrimary + " did not rejoin and report its RPO within " + STEP_TIMEOUT);
    }

    /** Returns once a write commits through one of {@code regions}' endpoints, tried in turn every 100 ms. */
    private void awaitWrite(List<String> regions) throws InterruptedException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (String region : regions) {
                try (Connection db = endpoint(region)) {
                    db.createStatement().execute("INSERT INTO bench_history (aid, delta) VALUES (0, 0)");
                    return;
                } catch (SQLException e) {
                    // not yet
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no write through " + regions + " succeeded within " + STEP_TIMEOUT);
    }

    /**
     * The steady state every change starts from: the primary sees every other region's standby streaming (an old
     * primary that just rejoined may still be re-cloning). Returns the primary.
     */
    private String awaitEveryStandbyStreaming() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String primary = primary();
            JsonNode standbys = status(primary).path("standbys");
            boolean all = standbys.size() == cluster.regions().size() - 1;
            for (JsonNode standby : standbys) {
                all &= standby.path("state").asText().equals("streaming");
            }
            if (all) {
                return primary;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the standbys were not all streaming within " + STEP_TIMEOUT);
    }

    /** The SQL primary, as the first reachable region reports it. */
    private String primary() throws IOException, InterruptedException {
        for (String region : cluster.regions()) {
            try {
                return status(region).path("primary").asText();
            } catch (IOException e) {
                // try the next region
            }
        }
        throw new IllegalStateException("no region answers /_meridian/status");
    }

    private JsonNode status(String region) throws IOException, InterruptedException {
        return JSON.readTree(http.send(HttpRequest.newBuilder(cluster.endpoint(region).resolve("/_meridian/status"))
                .build(), HttpResponse.BodyHandlers.ofString()).body()).path("sql");
    }

    private Connection endpoint(String region) throws SQLException {
        RegionConfig.SqlSettings sql = cluster.config(region).sqlSettings().orElseThrow();
        var properties = new Properties();
        properties.setProperty("user", sql.superuser());
        properties.setProperty("password", sql.password());
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + sql.endpointPort() + "/postgres",
                properties);
    }

    /** Small commits through one region's endpoint, as fast as one connection goes, until stopped. */
    private final class BackgroundWrites implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        BackgroundWrites(String region) {
            thread = new Thread(() -> {
                while (running.get()) {
                    try (Connection db = endpoint(region);
                            PreparedStatement insert = db.prepareStatement(
                                    "INSERT INTO bench_history (aid, delta) VALUES (1, 1)")) {
                        while (running.get()) {
                            insert.executeUpdate();
                        }
                    } catch (SQLException e) {
                        sleepQuietly();
                    }
                }
            }, "failover-load");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(15_000);
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }

        private void sleepQuietly() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                running.set(false);
            }
        }
    }

    static List<Outcome> run(LocalCluster cluster, int kills) throws Exception {
        var drill = new FailoverDrill(cluster);
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 1; i <= kills; i++) {
            Progress.say("failover " + i + " of " + kills + ": kill -9 of the primary's region under write load");
            outcomes.add(drill.killPrimary());
            Outcome last = outcomes.get(outcomes.size() - 1);
            Progress.say(String.format("  %s -> %s: RTO %.1f s, RPO %d bytes / %d transactions", last.from(), last.to(),
                    last.rtoSeconds(), last.rpoBytes(), last.rpoTransactions()));
        }
        Progress.say("planned switchover under write load");
        outcomes.add(drill.switchover());
        return outcomes;
    }
}
