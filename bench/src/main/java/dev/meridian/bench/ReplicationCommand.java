package dev.meridian.bench;

import dev.meridian.testkit.DelayMatrix;
import dev.meridian.testkit.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code meridian bench replication}: writes at a fixed rate into every region of a local deployment with a uniform
 * injected WAN delay, then reports client latency and the commit-to-apply replication delay of every pair.
 */
@Command(name = "replication", mixinStandardHelpOptions = true,
        description = "Open-loop PutItem load into every region of a local deployment; replication-delay percentiles.")
final class ReplicationCommand implements Callable<Integer> {
    static final int ITEM_BYTES = 256;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);

    @Spec
    CommandSpec spec;

    @Option(names = "--regions", split = ",", defaultValue = "us-east-1,eu-west-1,ap-southeast-1",
            description = "Regions to start, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> regions;

    @Option(names = "--delay", defaultValue = "40ms", converter = DurationConverter.class,
            description = "One-way delay the WAN emulator adds between every pair of regions (default: ${DEFAULT-VALUE}).")
    Duration delay;

    @Option(names = "--rate", defaultValue = "1000",
            description = "PutItem calls per second into each region (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to measure, after the warmup (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "30s", converter = DurationConverter.class,
            description = "Load before measuring, discarded (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--workers", defaultValue = "64",
            description = "Client threads (and connections) per region (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--data-dir",
            description = "Where the regions keep their data (default: a temporary directory, deleted afterwards).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        if (rate < 1 || workers < 1 || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("--rate, --workers and --duration must be positive");
        }
        var machine = MachineInfo.current();
        Progress.say("starting " + regions + " with " + delay.toMillis() + " ms one-way delay between every pair");
        var builder = LocalCluster.builder().regions(regions).delays(DelayMatrix.uniform(delay));
        if (dataDir != null) {
            builder.dataRoot(dataDir);
        }
        try (LocalCluster cluster = builder.start()) {
            Map<String, DynamoDbClient> clients = new LinkedHashMap<>();
            Map<String, RegionAdmin> admins = new LinkedHashMap<>();
            try {
                for (String region : regions) {
                    clients.put(region, SdkClients.dynamo(cluster.endpoint(region), region, workers));
                    admins.put(region, new RegionAdmin(cluster.endpoint(region)));
                }
                BenchTable.create(clients.get(regions.get(0)), clients.values());
                List<OpenLoopWriter.Result> writes = drive(clients, admins);
                boolean drained = awaitDrained(admins);
                Map<String, Map<String, Histogram>> delays = new LinkedHashMap<>();
                for (String destination : regions) {
                    delays.put(destination, admins.get(destination).takeReplicationDelays());
                }
                Map<String, String> peakRss = new LinkedHashMap<>();
                for (String region : regions) {
                    peakRss.put(region, PeakRss.ofRegion(cluster, region));
                }
                var settings = new ReplicationReport.Settings(regions, delay, rate, warmup, duration, workers, ITEM_BYTES);
                var report = new ReplicationReport(settings, writes, delays, peakRss, drained);
                System.out.println(report.markdown(BenchMain.typed(spec), machine));
                return report.passed() ? 0 : 1;
            } finally {
                clients.values().forEach(DynamoDbClient::close);
            }
        }
    }

    /** Runs the writers on one shared schedule, resetting the regions' delay histograms when the warmup ends. */
    private List<OpenLoopWriter.Result> drive(Map<String, DynamoDbClient> clients, Map<String, RegionAdmin> admins)
            throws IOException, InterruptedException {
        var table = new BenchTable(ITEM_BYTES);
        Map<String, OpenLoopWriter> writers = new LinkedHashMap<>();
        clients.forEach((region, client) -> writers.put(region, new OpenLoopWriter(region, client, table, workers, rate)));
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + duration.toNanos();
        Progress.say("writing " + rate + "/s into each region: " + warmup.toSeconds() + " s warmup, then "
                + duration.toSeconds() + " s measured");
        writers.values().forEach(writer -> writer.start(start, measureFrom, end));
        Progress progress = Progress.every(Progress.EVERY, () -> "PutItem calls answered: " + writers.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().completed())
                .collect(Collectors.joining(" ")));
        try {
            TimeUnit.NANOSECONDS.sleep(measureFrom - System.nanoTime());
            for (RegionAdmin admin : admins.values()) {
                admin.takeReplicationDelays(); // what the warmup replicated is discarded
            }
            List<OpenLoopWriter.Result> results = new ArrayList<>();
            for (OpenLoopWriter writer : writers.values()) {
                results.add(writer.awaitResult());
            }
            return results;
        } finally {
            progress.close();
        }
    }

    /** Waits until every region's peers have acknowledged its whole log; false if that takes too long. */
    private boolean awaitDrained(Map<String, RegionAdmin> admins) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        long behind = Long.MAX_VALUE;
        long nextSay = 0;
        while (System.nanoTime() < deadline) {
            behind = 0;
            for (RegionAdmin admin : admins.values()) {
                behind += admin.unacknowledgedEntries();
            }
            if (behind == 0) {
                return true;
            }
            if (System.nanoTime() > nextSay) {
                Progress.say("waiting for replication to drain: " + behind + " entries not yet acknowledged");
                nextSay = System.nanoTime() + Progress.EVERY.toNanos();
            }
            Thread.sleep(100);
        }
        Progress.say("replication did not drain within " + DRAIN_TIMEOUT + ": " + behind + " entries behind");
        return false;
    }
}
