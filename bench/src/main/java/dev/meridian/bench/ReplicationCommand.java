package dev.meridian.bench;

import dev.meridian.testkit.DelayMatrix;
import dev.meridian.testkit.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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
            description = "Items written per second into each region (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--batch", defaultValue = "1",
            description = "Items per call: 1 writes each with PutItem, 2 to 25 with BatchWriteItem (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to measure, after the warmup (default: ${DEFAULT-VALUE}).")
    Duration duration;

    // Measured: each region's C2 compiler still spent 30-50% of its CPU between 40 and 80 s after start.
    @Option(names = "--warmup", defaultValue = "120s", converter = DurationConverter.class,
            description = "Load before measuring, discarded (default: ${DEFAULT-VALUE}; the JIT compilers of four"
                    + " JVMs on two cores need about that long to settle).")
    Duration warmup;

    @Option(names = "--max-in-flight", defaultValue = "256",
            description = "Most PutItem calls (and connections) outstanding per region; past it the writer waits "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--data-dir",
            description = "Where the regions keep their data (default: a temporary directory, deleted afterwards).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        if (rate < 1 || maxInFlight < 1 || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("--rate, --max-in-flight and --duration must be positive");
        }
        if (batch < 1 || batch > 25) {
            throw new IllegalArgumentException("--batch must be from 1 to 25 (BatchWriteItem takes at most 25 items)");
        }
        var machine = MachineInfo.current();
        Progress.say("starting " + regions + " with " + delay.toMillis() + " ms one-way delay between every pair");
        var builder = LocalCluster.builder().regions(regions).delays(DelayMatrix.uniform(delay));
        if (dataDir != null) {
            builder.dataRoot(dataDir);
        }
        try (LocalCluster cluster = builder.start()) {
            Map<String, DynamoDbClient> sdkClients = new LinkedHashMap<>();
            Map<String, SignedWriteClient> clients = new LinkedHashMap<>();
            Map<String, RegionAdmin> admins = new LinkedHashMap<>();
            try {
                for (String region : regions) {
                    sdkClients.put(region, SdkClients.dynamo(cluster.endpoint(region), region, 1));
                    clients.put(region, new SignedWriteClient(cluster.endpoint(region), region));
                    admins.put(region, new RegionAdmin(cluster.endpoint(region)));
                }
                BenchTable.create(sdkClients.get(regions.get(0)), sdkClients.values());
                var cpu = new CpuWindow(processes(cluster));
                List<OpenLoopWriter.Result> writes = drive(clients, admins, cpu);
                CpuWindow.Usage cpuUsed = cpu.stop();
                boolean drained = awaitDrained(admins);
                Map<String, Map<String, Histogram>> delays = new LinkedHashMap<>();
                for (String destination : regions) {
                    delays.put(destination, admins.get(destination).takeReplicationDelays());
                }
                Map<String, String> memory = new LinkedHashMap<>();
                for (String region : regions) {
                    memory.put(region, ProcessMemory.ofRegion(cluster, region));
                }
                var settings = new ReplicationReport.Settings(regions, delay, rate, batch, warmup, duration, maxInFlight,
                        ITEM_BYTES);
                var report = new ReplicationReport(settings, writes, delays, memory, cpuUsed, drained);
                System.out.println(report.markdown(BenchMain.typed(spec), machine));
                return report.passed() ? 0 : 1;
            } finally {
                sdkClients.values().forEach(DynamoDbClient::close);
                clients.values().forEach(SignedWriteClient::close);
            }
        }
    }

    /** Each region's process, then this one (the load generator and the WAN emulator). */
    private Map<String, ProcessHandle> processes(LocalCluster cluster) {
        Map<String, ProcessHandle> processes = new LinkedHashMap<>();
        for (String region : regions) {
            ProcessMemory.regionProcess(cluster, region).ifPresent(process -> processes.put("region " + region, process));
        }
        processes.put("load generator + WAN emulator", ProcessHandle.current());
        return processes;
    }

    /**
     * Runs the writers on one shared schedule, resetting the regions' delay histograms and starting the CPU window
     * when the warmup ends.
     */
    private List<OpenLoopWriter.Result> drive(Map<String, SignedWriteClient> clients, Map<String, RegionAdmin> admins,
            CpuWindow cpu) throws IOException, InterruptedException {
        var table = new BenchTable(ITEM_BYTES);
        Map<String, OpenLoopWriter> writers = new LinkedHashMap<>();
        clients.forEach((region, client) -> writers.put(region,
                new OpenLoopWriter(region, OpenLoopWriter.items(region, client, table, batch), maxInFlight, rate, batch)));
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + duration.toNanos();
        Progress.say("writing " + rate + " items/s into each region (" + (batch == 1 ? "PutItem" : batch + " per BatchWriteItem")
                + "): " + warmup.toSeconds() + " s warmup, then "
                + duration.toSeconds() + " s measured");
        writers.values().forEach(writer -> writer.start(start, measureFrom, end));
        Progress progress = Progress.every(Progress.EVERY, () -> "items written: " + writers.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().completed())
                .collect(Collectors.joining(" ")));
        try {
            TimeUnit.NANOSECONDS.sleep(measureFrom - System.nanoTime());
            for (RegionAdmin admin : admins.values()) {
                admin.takeReplicationDelays(); // what the warmup replicated is discarded
            }
            cpu.start();
            return OpenLoopWriter.awaitAll(writers.values());
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
