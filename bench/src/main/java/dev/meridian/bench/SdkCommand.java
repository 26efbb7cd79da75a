package dev.meridian.bench;

import dev.meridian.testkit.LocalCluster;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code meridian bench sdk}: PutItem then GetItem throughput and latency through one AWS SDK client setup against
 * a single Meridian region and against DynamoDB Local, both running side by side on this machine.
 */
@Command(name = "sdk", mixinStandardHelpOptions = true,
        description = "Closed-loop PutItem and GetItem through the AWS SDK: one Meridian region vs DynamoDB Local.")
final class SdkCommand implements Callable<Integer> {
    static final String REGION = "us-east-1";
    /** The same heap a Meridian region gets by default. */
    static final String PEER_HEAP = "512m";

    @Spec
    CommandSpec spec;

    @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class,
            description = "How long each phase is measured, after its warmup (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "30s", converter = DurationConverter.class,
            description = "Load before measuring each phase, discarded (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--threads", defaultValue = "16",
            description = "Client threads (and connections), each sending its next call when the last answers"
                    + " (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--item-size", defaultValue = "1KB", converter = ItemSizeConverter.class,
            description = "Item size, e.g. 1KB or 200B (default: ${DEFAULT-VALUE}).")
    int itemBytes;

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("--threads and --duration must be positive");
        }
        var machine = MachineInfo.current();
        Path nativeDir = nativeDir();
        Path work = Files.createTempDirectory("meridian-bench-sdk-");
        Path peerLog = work.resolve("dynamodb-local.log");
        Progress.say("starting one Meridian region and DynamoDB Local (its log: " + peerLog + ")");
        SdkReport report;
        try (LocalCluster cluster = LocalCluster.builder().regions(REGION).start();
                DynamoDbLocalProcess peer = DynamoDbLocalProcess.start(nativeDir, PEER_HEAP, peerLog)) {
            Map<String, ProcessHandle> processes = new LinkedHashMap<>();
            processes.put(SdkReport.CLIENT, ProcessHandle.current());
            ProcessMemory.regionProcess(cluster, REGION).ifPresent(p -> processes.put(SdkReport.MERIDIAN, p));
            ProcessHandle.of(peer.pid()).ifPresent(p -> processes.put(SdkReport.PEER, p));
            var meridian = measure(SdkReport.MERIDIAN, cluster.endpoint(REGION), processes);
            var dynamoDbLocal = measure(SdkReport.PEER, peer.endpoint(), processes);
            report = new SdkReport(new SdkReport.Settings(threads, itemBytes, warmup, duration, PEER_HEAP),
                    meridian, ProcessMemory.ofRegion(cluster, REGION), dynamoDbLocal, ProcessMemory.ofPid(peer.pid()));
        }
        // The peer's log is kept only when the run fails, for diagnosis.
        Files.delete(peerLog);
        Files.delete(work);
        System.out.println(report.markdown(BenchMain.typed(spec), machine));
        return report.passed() ? 0 : 1;
    }

    /** Creates the table, then runs the PutItem phase and the GetItem phase (reading keys the first wrote). */
    private SdkReport.Target measure(String name, URI endpoint, Map<String, ProcessHandle> processes)
            throws InterruptedException {
        try (DynamoDbClient client = SdkClients.dynamo(endpoint, REGION, threads)) {
            BenchTable.create(client, List.of(client));
            var table = new BenchTable(itemBytes);
            long[] written = new long[threads]; // slot t is written only by thread t; read after the phase's join
            var put = ClosedLoopPhase.run(name + " PutItem", threads, warmup, duration, new CpuWindow(processes),
                    (thread, i) -> {
                client.putItem(b -> b.tableName(BenchTable.NAME).item(table.item(key(thread, i))));
                written[thread] = i + 1;
            });
            var get = ClosedLoopPhase.run(name + " GetItem", threads, warmup, duration, new CpuWindow(processes),
                    (thread, i) -> {
                var random = ThreadLocalRandom.current();
                int owner = random.nextInt(threads);
                if (written[owner] == 0) {
                    throw new IllegalStateException("the PutItem phase wrote nothing for thread " + owner);
                }
                String key = key(owner, random.nextLong(written[owner]));
                if (!client.getItem(b -> b.tableName(BenchTable.NAME).key(BenchTable.key(key))).hasItem()) {
                    throw new IllegalStateException("GetItem found no item " + key);
                }
            });
            return new SdkReport.Target(name, put, get);
        }
    }

    private static String key(int thread, long sequence) {
        return "item-" + thread + "-" + sequence;
    }

    /** Where the build put sqlite4java's native library: {@code target/native} beside this module's classes or jar. */
    private static Path nativeDir() throws URISyntaxException {
        String configured = System.getProperty("meridian.bench.nativeDir");
        if (configured != null) {
            return Path.of(configured);
        }
        Path code = Path.of(SdkCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return code.getParent().resolve("native");
    }
}
