package dev.meridian.bench;

import dev.meridian.core.RegionConfig;
import dev.meridian.sql.postgres.WalPositions;
import dev.meridian.testkit.DelayMatrix;
import dev.meridian.testkit.LocalCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meridian bench sql}: a local deployment with PostgreSQL in every region. Runs pgbench's write transaction
 * at a fixed rate on the primary and measures each standby's replication lag per transaction; then times reads and
 * writes through the endpoint against direct connections, alternating, in the same run; then fails the primary over
 * (kill -9) several times and switches it over once, reporting RTO and RPO.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "SQL replication lag under a pgbench-like write load, the endpoint's overhead against direct"
                + " connections, and failover RTO and RPO.")
final class SqlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--regions", split = ",", defaultValue = "us-east-1,eu-west-1,ap-southeast-1",
            description = "Regions to start, the first the SQL primary (default: ${DEFAULT-VALUE}).")
    List<String> regions;

    @Option(names = "--delay", defaultValue = "40ms", converter = DurationConverter.class,
            description = "One-way delay between every pair of regions (default: ${DEFAULT-VALUE}).")
    Duration delay;

    @Option(names = "--rate", defaultValue = "500",
            description = "Write transactions per second on the primary (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--workers", defaultValue = "8",
            description = "Connections running the write load (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--warmup", defaultValue = "60s", converter = DurationConverter.class,
            description = "Write load before measuring, discarded (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long the write load is measured (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--rounds", defaultValue = "10",
            description = "Alternating rounds of the direct-versus-endpoint comparisons (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--reads-per-round", defaultValue = "500",
            description = "Point reads per side per round (default: ${DEFAULT-VALUE}); forwarded writes are a tenth.")
    int readsPerRound;

    @Option(names = "--failovers", defaultValue = "5",
            description = "Failovers to run at the end, each a kill -9 of the primary's region under write load,"
                    + " then one switchover (default: ${DEFAULT-VALUE}; 0 skips them).")
    int failovers;

    @Option(names = "--data-dir",
            description = "Where the regions keep their data (default: a temporary directory, deleted afterwards).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        if (rate < 1 || workers < 1 || rounds < 1 || readsPerRound < 10 || regions.size() < 2) {
            throw new IllegalArgumentException("--rate, --workers, --rounds must be positive, --reads-per-round at"
                    + " least 10, and there must be at least two regions");
        }
        var machine = MachineInfo.current();
        String primary = regions.get(0);
        List<String> secondaries = regions.subList(1, regions.size());
        Progress.say("starting " + regions + " (SQL primary " + primary + ") with " + delay.toMillis()
                + " ms one-way delay between every pair");
        var builder = LocalCluster.builder().regions(regions).delays(DelayMatrix.uniform(delay)).sql(primary);
        if (dataDir != null) {
            builder.dataRoot(dataDir);
        }
        try (LocalCluster cluster = builder.start()) {
            awaitStreaming(cluster, primary, secondaries);
            try (Connection onPrimary = server(cluster, primary)) {
                PgbenchLoad.createSchema(onPrimary);
            }
            awaitReplayed(cluster, primary, secondaries);

            var lag = measureLag(cluster, primary, secondaries);
            String reader = secondaries.get(0);
            Progress.say("timing point reads and forwarded writes, direct against the endpoint, " + rounds + " rounds");
            Map<String, PairedLatency.Result> overhead = new LinkedHashMap<>();
            try (Connection direct = server(cluster, reader); Connection endpoint = endpoint(cluster, reader)) {
                overhead.put("point read in " + reader + " (its standby)",
                        PairedLatency.measure(direct, endpoint, pointRead(), rounds, readsPerRound, readsPerRound));
            }
            try (Connection direct = server(cluster, primary); Connection endpoint = endpoint(cluster, primary)) {
                overhead.put("point read in " + primary + " (the primary)",
                        PairedLatency.measure(direct, endpoint, pointRead(), rounds, readsPerRound, readsPerRound));
            }
            try (Connection direct = primaryThroughLink(cluster, reader, primary);
                    Connection endpoint = endpoint(cluster, reader)) {
                int writes = Math.max(1, readsPerRound / 10);
                overhead.put("write from " + reader + " (forwarded to " + primary + ")",
                        PairedLatency.measure(direct, endpoint, historyInsert(), rounds, writes, writes));
            }
            List<FailoverDrill.Outcome> changes = failovers > 0 ? FailoverDrill.run(cluster, failovers) : List.of();
            var report = new SqlReport(regions, delay, rate, workers, warmup, duration, lag, overhead, changes);
            System.out.println(report.markdown(BenchMain.typed(spec), machine));
            return report.passed() ? 0 : 1;
        }
    }

    private SqlReport.Lag measureLag(LocalCluster cluster, String primary, List<String> secondaries) throws Exception {
        List<ReplayLagProbe> probes = new ArrayList<>();
        try {
            for (String region : secondaries) {
                probes.add(new ReplayLagProbe(region, server(cluster, region)));
            }
            var load = new PgbenchLoad(() -> {
                try {
                    return endpoint(cluster, primary);
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot connect to " + primary + "'s endpoint: " + e.getMessage(), e);
                }
            }, workers, rate, commit -> probes.forEach(probe -> probe.committed(commit)));
            long measureFrom = System.nanoTime() + warmup.toNanos();
            long end = measureFrom + duration.toNanos();
            Progress.say("pgbench-like writes at " + rate + " tx/s on " + primary + "'s endpoint: " + warmup.toSeconds()
                    + " s warmup, then " + duration.toSeconds() + " s measured");
            Progress progress = Progress.every(Progress.EVERY, () -> "transactions: " + load.completed() + " committed, "
                    + load.failed() + " failed or late; unreplayed: " + probes.stream()
                            .map(p -> p.region() + "=" + p.unreplayed()).collect(Collectors.joining(" ")));
            var loader = new Thread(() -> {
                try {
                    load.run(end);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "pgbench-schedule");
            long completedAtStart;
            try {
                loader.start();
                TimeUnit.NANOSECONDS.sleep(measureFrom - System.nanoTime());
                load.takeLatency();
                probes.forEach(ReplayLagProbe::takeLag);
                completedAtStart = load.completed();
                loader.join();
            } finally {
                progress.close();
            }
            long completedMeasured = load.completed() - completedAtStart;
            awaitProbesDrained(probes);
            Map<String, Histogram> lagByRegion = new LinkedHashMap<>();
            for (ReplayLagProbe probe : probes) {
                lagByRegion.put(probe.region(), probe.takeLag());
            }
            return new SqlReport.Lag(load.takeLatency(), completedMeasured, load.failed(), lagByRegion);
        } finally {
            for (ReplayLagProbe probe : probes) {
                probe.close();
            }
        }
    }

    private static void awaitProbesDrained(List<ReplayLagProbe> probes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (probes.stream().anyMatch(p -> p.unreplayed() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static PairedLatency.Work pointRead() {
        return new PairedLatency.Work() {
            @Override
            public PreparedStatement prepare(Connection db) throws SQLException {
                return db.prepareStatement("SELECT abalance FROM bench_accounts WHERE aid = ?");
            }

            @Override
            public void run(PreparedStatement statement, int iteration) throws SQLException {
                statement.setInt(1, iteration % PgbenchLoad.ACCOUNTS + 1);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                }
            }
        };
    }

    private static PairedLatency.Work historyInsert() {
        return new PairedLatency.Work() {
            @Override
            public PreparedStatement prepare(Connection db) throws SQLException {
                return db.prepareStatement("INSERT INTO bench_history (aid, delta) VALUES (?, 0)");
            }

            @Override
            public void run(PreparedStatement statement, int iteration) throws SQLException {
                statement.setInt(1, iteration % PgbenchLoad.ACCOUNTS + 1);
                statement.executeUpdate();
            }
        };
    }

    private static void awaitStreaming(LocalCluster cluster, String primary, List<String> secondaries)
            throws InterruptedException {
        Progress.say("waiting for " + secondaries + " to clone the primary and stream");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (Connection db = server(cluster, primary)) {
                long streaming = WalPositions.lagByStandby(db).values().stream()
                        .filter(standby -> standby.state().equals("streaming")).count();
                if (streaming == secondaries.size()) {
                    return;
                }
            } catch (SQLException e) {
                // the primary is still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the standbys did not all stream within 5 minutes; see the region logs");
    }

    private static void awaitReplayed(LocalCluster cluster, String primary, List<String> secondaries)
            throws SQLException {
        try (Connection onPrimary = server(cluster, primary)) {
            var target = WalPositions.current(onPrimary);
            for (String region : secondaries) {
                try (Connection standby = server(cluster, region)) {
                    WalPositions.awaitReplayed(standby, target, Duration.ofSeconds(60));
                }
            }
        }
    }

    private static Connection server(LocalCluster cluster, String region) throws SQLException {
        RegionConfig.SqlSettings sql = cluster.config(region).sqlSettings().orElseThrow();
        return connect("127.0.0.1:" + sql.serverPort(), sql);
    }

    private static Connection endpoint(LocalCluster cluster, String region) throws SQLException {
        RegionConfig.SqlSettings sql = cluster.config(region).sqlSettings().orElseThrow();
        return connect("127.0.0.1:" + sql.endpointPort(), sql);
    }

    /** The primary's server as a client in {@code region} reaches it without the endpoint: over the same WAN link. */
    private static Connection primaryThroughLink(LocalCluster cluster, String region, String primary)
            throws SQLException {
        RegionConfig config = cluster.config(region);
        return connect(config.peer(primary).orElseThrow().sqlAddress(), config.sqlSettings().orElseThrow());
    }

    private static Connection connect(String hostPort, RegionConfig.SqlSettings sql) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + hostPort + "/postgres", sql.superuser(),
                sql.password());
    }
}
