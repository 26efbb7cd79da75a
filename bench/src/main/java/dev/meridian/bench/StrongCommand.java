package dev.meridian.bench;

import static dev.meridian.bench.Percentiles.maxMillis;
import static dev.meridian.bench.Percentiles.millis;
import static dev.meridian.bench.Percentiles.ms;

import dev.meridian.testkit.DelayMatrix;
import dev.meridian.testkit.LocalCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.MultiRegionConsistency;

/**
 * {@code meridian bench strong}: in a local deployment behind the WAN emulator, writes to a strong table (agreed
 * through the control plane's Raft log) and strongly consistent reads of it, one at a time from each region in turn.
 * Reports their latency per region against the round trip to the nearest other region: the least a write agreed by
 * a majority of three can cost, met only where the Raft leader is.
 */
@Command(name = "strong", mixinStandardHelpOptions = true,
        description = "Strong-table PutItem and ConsistentRead GetItem latency per region, against the round trip"
                + " to the nearest majority.")
final class StrongCommand implements Callable<Integer> {
    static final DelayMatrix DELAYS = DelayMatrix.realistic();
    static final int ITEM_BYTES = 256;
    /** The target's allowance over the round trip to the nearest other region (issue 5). */
    static final Duration ALLOWANCE = Duration.ofMillis(10);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

    @Spec
    CommandSpec spec;

    @Option(names = "--regions", split = ",", defaultValue = "us-east-1,eu-west-1,ap-southeast-1",
            description = "Regions to start, comma-separated; three or more (default: ${DEFAULT-VALUE}).")
    List<String> regions;

    @Option(names = "--ops", defaultValue = "300",
            description = "Measured writes and reads per region (default: ${DEFAULT-VALUE}).")
    int ops;

    @Option(names = "--rate", defaultValue = "20",
            description = "Most operations started per second, one at a time (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--warmup", defaultValue = "100",
            description = "Writes and reads per region before measuring, discarded (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-reads", defaultValue = "3000",
            description = "Eventually consistent GetItem calls per region, back to back in every region at once,"
                    + " before the paced warmup, discarded (default: ${DEFAULT-VALUE}).")
    int warmupReads;

    /** One region's measured calls. */
    private record RegionRun(String region, String nearest, Duration nearestRoundTrip, Histogram writes,
            Histogram reads, int errors) {}

    @Override
    public Integer call() throws Exception {
        if (ops < 1 || rate < 1 || warmup < 0 || warmupReads < 0) {
            throw new IllegalArgumentException("--ops and --rate must be positive, --warmup and --warmup-reads not"
                    + " negative");
        }
        if (regions.size() < 3 || regions.stream().distinct().count() != regions.size()) {
            throw new IllegalArgumentException("--regions must name three distinct regions or more (a majority"
                    + " without one), got " + regions);
        }
        var machine = MachineInfo.current();
        Progress.say("starting " + regions + " with the control plane behind the WAN emulator: "
                + DELAYS.describe(regions));
        Map<String, DynamoDbClient> clients = new LinkedHashMap<>();
        try (LocalCluster cluster = LocalCluster.builder().regions(regions).delays(DELAYS).controlPlane().start()) {
            try {
                for (String region : regions) {
                    clients.put(region, SdkClients.dynamo(cluster.endpoint(region), region, 1, CALL_TIMEOUT));
                }
                BenchTable.create(clients.get(regions.get(0)), clients.values());
                makeStrong(clients.get(regions.get(0)));
                var table = new BenchTable(ITEM_BYTES);
                RequestPathWarmup.run(clients, table, warmupReads);
                Progress.say("warmup: " + warmup + " writes and reads per region, discarded");
                for (String region : regions) {
                    measure(region, clients.get(region), table, warmup);
                }
                List<RegionRun> runs = new ArrayList<>();
                for (String region : regions) {
                    Progress.say("measuring " + ops + " writes and reads in " + region + ", at most " + rate + "/s");
                    runs.add(measure(region, clients.get(region), table, ops));
                }
                System.out.println(markdown(runs, machine));
                return runs.stream().allMatch(run -> run.errors() == 0) ? 0 : 1;
            } finally {
                clients.values().forEach(DynamoDbClient::close);
            }
        }
    }

    /** Right after the cluster starts the control plane may still be electing: retried for up to a minute. */
    private static void makeStrong(DynamoDbClient client) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (true) {
            try {
                client.updateTable(b -> b.tableName(BenchTable.NAME)
                        .multiRegionConsistency(MultiRegionConsistency.STRONG));
                return;
            } catch (SdkException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not make the table strong within a minute: "
                            + e.getMessage(), e);
                }
                Thread.sleep(500);
            }
        }
    }

    private RegionRun measure(String region, DynamoDbClient client, BenchTable table, int count)
            throws InterruptedException {
        Histogram writes = Percentiles.newMicros();
        Histogram reads = Percentiles.newMicros();
        int errors = 0;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        for (int i = 0; i < count; i++) {
            long next = System.nanoTime() + interval;
            String key = region + "-" + (i % 10);
            try {
                long start = System.nanoTime();
                client.putItem(b -> b.tableName(BenchTable.NAME).item(table.item(key)));
                long written = System.nanoTime();
                client.getItem(b -> b.tableName(BenchTable.NAME).key(BenchTable.key(key)).consistentRead(true));
                long read = System.nanoTime();
                writes.recordValue((written - start) / 1000);
                reads.recordValue((read - written) / 1000);
            } catch (SdkException e) {
                errors++;
            }
            long pause = next - System.nanoTime();
            if (pause > 0) {
                TimeUnit.NANOSECONDS.sleep(pause);
            }
        }
        String nearest = regions.stream().filter(other -> !other.equals(region))
                .min((a, b) -> roundTrip(region, a).compareTo(roundTrip(region, b))).orElseThrow();
        return new RegionRun(region, nearest, roundTrip(region, nearest), writes, reads, errors);
    }

    private String markdown(List<RegionRun> runs, MachineInfo machine) {
        var out = new StringBuilder("### Strong tables (latest run)\n\n");
        out.append(machine.markdown(BenchMain.typed(spec)));
        out.append("- Regions: ").append(DELAYS.describe(regions)).append(" (one-way); ").append(ITEM_BYTES)
                .append("-byte items; from each region in turn, one PutItem then one ConsistentRead GetItem at a")
                .append(" time, at most ").append(rate).append("/s, ").append(ops).append(" each after ")
                .append(warmup).append(" discarded (and, before those, ").append(warmupReads)
                .append(" eventually consistent GetItem calls per region, back to back)\n");
        out.append("- Target (issue 5): write p50 <= round trip to the nearest majority + ")
                .append(ALLOWANCE.toMillis()).append(" ms. With Raft a write costs the round trip to the leader plus")
                .append(" the leader's to its nearest member, so only the leader's region can meet it; the fastest")
                .append(" region below is the leader's\n\n");
        out.append("| region | nearest, RTT | write p50 | p90 | p99 | max | target p50 | read p50 | p99 | errors |\n");
        out.append("|---|---|---:|---:|---:|---:|---|---:|---:|---:|\n");
        for (RegionRun run : runs) {
            Duration target = run.nearestRoundTrip().plus(ALLOWANCE);
            boolean met = millis(run.writes(), 50) <= target.toMillis();
            out.append("| ").append(run.region()).append(" | ").append(run.nearest()).append(", ")
                    .append(run.nearestRoundTrip().toMillis()).append(" ms | ")
                    .append(ms(millis(run.writes(), 50))).append(" | ").append(ms(millis(run.writes(), 90)))
                    .append(" | ").append(ms(millis(run.writes(), 99))).append(" | ")
                    .append(ms(maxMillis(run.writes()))).append(" | <= ").append(target.toMillis())
                    .append(met ? " met" : " **not met**").append(" | ").append(ms(millis(run.reads(), 50)))
                    .append(" | ").append(ms(millis(run.reads(), 99))).append(" | ").append(run.errors())
                    .append(" |\n");
        }
        return out.toString();
    }

    private static Duration roundTrip(String a, String b) {
        return DELAYS.oneWay(a, b).plus(DELAYS.oneWay(b, a));
    }
}
