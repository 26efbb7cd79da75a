package dev.meridian.bench;

import dev.meridian.testkit.DelayMatrix;
import dev.meridian.testkit.LocalCluster;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code meridian bench s3}: PutObject and GetObject throughput and latency through the AWS SDK's S3 client against
 * one Meridian region and against s3proxy side by side, then how long objects written into every region of a
 * three-region deployment take to replicate to the others.
 */
@Command(name = "s3", mixinStandardHelpOptions = true,
        description = "Closed-loop PutObject and GetObject: one Meridian region vs s3proxy; then open-loop PutObject"
                + " into every region of a local deployment and the time objects take to replicate.")
final class S3Command implements Callable<Integer> {
    static final String BUCKET = "meridian-bench";
    /** The same heap a Meridian region gets by default. */
    static final String PEER_HEAP = "512m";
    /** The WAN emulator's one-way delays between the regions of the replication deployment: close to real ones. */
    static final DelayMatrix DELAYS = DelayMatrix.realistic();
    private static final Duration BUCKET_VISIBLE_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Option(names = "--threads", defaultValue = "8",
            description = "Client threads (and connections) of the throughput phases, each sending its next call"
                    + " when the last answers (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class,
            description = "How long each throughput phase is measured, after its warmup (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "10s", converter = DurationConverter.class,
            description = "Load before measuring each throughput phase, discarded (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--server-warmup", defaultValue = "60s", converter = DurationConverter.class,
            description = "Load on each server before the first phase, PutObject then GetObject of the first size,"
                    + " discarded: the client's and both servers' compilers are cold until then"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration serverWarmup;

    @Option(names = "--rounds", defaultValue = "2",
            description = "Rounds of each size's throughput phases; the servers take turns going first"
                    + " (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--sizes", split = ",", defaultValue = "4KiB,1MiB", converter = ObjectSizeConverter.class,
            description = "Object sizes of the throughput phases, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--regions", split = ",", defaultValue = "us-east-1,eu-west-1,ap-southeast-1",
            description = "Regions of the replication deployment, comma-separated; the throughput phases run against"
                    + " a deployment of the first alone (default: ${DEFAULT-VALUE}).")
    List<String> regions;

    @Option(names = "--rate", defaultValue = "50",
            description = "Objects written per second into each region by the replication load"
                    + " (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--replication-sizes", split = ",", defaultValue = "4KiB,64KiB,1MiB",
            converter = ObjectSizeConverter.class,
            description = "Object sizes the replication load writes in turn, comma-separated"
                    + " (default: ${DEFAULT-VALUE}).")
    List<Integer> replicationSizes;

    @Option(names = "--replication-duration", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long the replication load is measured, after its warmup (default: ${DEFAULT-VALUE}).")
    Duration replicationDuration;

    @Option(names = "--replication-warmup", defaultValue = "60s", converter = DurationConverter.class,
            description = "The replication load before it is measured, discarded: the replication deployment's"
                    + " regions start with cold compilers, and until they are warm an object costs them about twice"
                    + " the CPU (default: ${DEFAULT-VALUE}).")
    Duration replicationWarmup;

    @Option(names = "--max-in-flight", defaultValue = "64",
            description = "Most PutObject calls (and connections) outstanding per region in the replication load;"
                    + " past it the writer waits (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || rounds < 1 || rate < 1 || maxInFlight < 1 || !positive(duration)
                || !positive(replicationDuration) || warmup.isNegative() || serverWarmup.isNegative()
                || replicationWarmup.isNegative()) {
            throw new IllegalArgumentException("--threads, --rounds, --rate, --max-in-flight, --duration and"
                    + " --replication-duration must be positive, --warmup, --server-warmup and --replication-warmup"
                    + " not negative");
        }
        if (regions.size() < 2 || regions.stream().distinct().count() != regions.size()) {
            throw new IllegalArgumentException("--regions must name at least two distinct regions, got " + regions);
        }
        var machine = MachineInfo.current();
        Path work = Files.createTempDirectory("meridian-bench-s3-");
        Throughput throughput = compareWithPeer(work);
        Replicated replicated = timeToReplicate();
        var settings = new S3Report.Settings(threads, serverWarmup, rounds, warmup, duration, sizes, regions.get(0),
                PEER_HEAP, regions, rate, replicationSizes, replicationWarmup, replicationDuration, maxInFlight);
        var report = new S3Report(settings, throughput.runs(), throughput.meridianMemory(), throughput.peerMemory(),
                replicated.result(), replicated.memory(), DELAYS);
        // The peer's log is kept only when the run breaks off, for diagnosis.
        deleteTree(work);
        System.out.println(report.markdown(BenchMain.typed(spec), machine));
        return report.passed() ? 0 : 1;
    }

    /** The throughput phases' results, and the memory each server used at their end. */
    private record Throughput(List<S3Report.SizeRun> runs, String meridianMemory, String peerMemory) {}

    /** The replication load's results, and the memory each region used at its end. */
    private record Replicated(ObjectReplication.Result result, Map<String, String> memory) {}

    /** Runs every size's phases against a one-region deployment and against s3proxy, up side by side. */
    private Throughput compareWithPeer(Path work) throws IOException, InterruptedException, URISyntaxException {
        String region = regions.get(0);
        Path peerDir = work.resolve("s3proxy");
        Progress.say("starting one Meridian region (" + region + ") and s3proxy (its log: "
                + S3ProxyProcess.logFile(peerDir) + ")");
        try (LocalCluster cluster = LocalCluster.builder().regions(region).start();
                S3ProxyProcess peer = S3ProxyProcess.start(S3ProxyProcess.libDir(), PEER_HEAP, peerDir);
                S3Client meridian = SdkClients.s3(cluster.endpoint(region), region, threads);
                S3Client s3proxy = SdkClients.s3(peer.endpoint(), region, threads)) {
            Map<String, ProcessHandle> processes = new LinkedHashMap<>();
            processes.put(S3Report.CLIENT, ProcessHandle.current());
            ProcessMemory.regionProcess(cluster, region).ifPresent(p -> processes.put(S3Report.MERIDIAN, p));
            ProcessHandle.of(peer.pid()).ifPresent(p -> processes.put(S3Report.PEER, p));
            meridian.createBucket(b -> b.bucket(BUCKET));
            s3proxy.createBucket(b -> b.bucket(BUCKET));
            warmUp(meridian, s3proxy, processes);
            List<S3Report.SizeRun> runs = new ArrayList<>();
            for (int i = 0; i < sizes.size(); i++) {
                runs.add(measure(sizes.get(i), i % 2 == 0, meridian, s3proxy, processes));
            }
            return new Throughput(runs, ProcessMemory.ofRegion(cluster, region), ProcessMemory.ofPid(peer.pid()));
        } finally {
            deleteTree(S3ProxyProcess.dataDir(peerDir)); // gigabytes after a full run
        }
    }

    /** Writes into every region of a deployment behind the WAN emulator and collects the replication delays. */
    private Replicated timeToReplicate() throws IOException, InterruptedException {
        Progress.say("starting " + regions + " behind the WAN emulator: " + DELAYS.describe(regions));
        try (LocalCluster cluster = LocalCluster.builder().regions(regions).delays(DELAYS).start()) {
            List<ObjectReplication.Region> members = new ArrayList<>();
            try {
                for (String name : regions) {
                    URI endpoint = cluster.endpoint(name);
                    members.add(new ObjectReplication.Region(name, SdkClients.s3(endpoint, name, maxInFlight),
                            new RegionAdmin(endpoint)));
                }
                createBucketEverywhere(members);
                var result = new ObjectReplication(members, BUCKET, replicationSizes, rate, maxInFlight)
                        .run(replicationWarmup, replicationDuration, new CpuWindow(processes(cluster)));
                Map<String, String> memory = new LinkedHashMap<>();
                for (String name : regions) {
                    memory.put(name, ProcessMemory.ofRegion(cluster, name));
                }
                return new Replicated(result, memory);
            } finally {
                members.forEach(member -> member.s3().close());
            }
        }
    }

    /**
     * {@code rounds} rounds of PutObject on one server then the other, then as many of GetObject. Which server goes
     * first alternates from one round to the next (and the first round's from one size to the next), so neither
     * always runs on a machine the other just warmed, or the client's compiler has not. Before each phase the kernel
     * writes out every dirty page, so that s3proxy's writes (which it leaves to the page cache) are not paid for
     * during Meridian's phase (which writes its objects out before answering).
     */
    private S3Report.SizeRun measure(int size, boolean meridianFirst, S3Client meridian, S3Client s3proxy,
            Map<String, ProcessHandle> processes) throws InterruptedException, IOException {
        var onMeridian = new S3Load(S3Report.MERIDIAN, meridian, BUCKET, "obj-", size, threads);
        var onPeer = new S3Load(S3Report.PEER, s3proxy, BUCKET, "obj-", size, threads);
        Map<S3Load, List<ClosedLoopPhase.Result>> puts =
                Map.of(onMeridian, new ArrayList<>(), onPeer, new ArrayList<>());
        Map<S3Load, List<ClosedLoopPhase.Result>> gets =
                Map.of(onMeridian, new ArrayList<>(), onPeer, new ArrayList<>());
        for (int round = 0; round < rounds; round++) {
            for (S3Load load : order(round, meridianFirst, onMeridian, onPeer)) {
                DirtyPages.writeOut();
                puts.get(load).add(load.put(roundName(round), warmup, duration, new CpuWindow(processes)));
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (S3Load load : order(round, meridianFirst, onMeridian, onPeer)) {
                DirtyPages.writeOut();
                gets.get(load).add(load.get(roundName(round), warmup, duration, new CpuWindow(processes)));
            }
        }
        return new S3Report.SizeRun(size, new S3Report.Target(puts.get(onMeridian), gets.get(onMeridian)),
                new S3Report.Target(puts.get(onPeer), gets.get(onPeer)));
    }

    /** PutObject then GetObject on each server for {@code --server-warmup}, of keys no phase reads. */
    private void warmUp(S3Client meridian, S3Client s3proxy, Map<String, ProcessHandle> processes)
            throws InterruptedException {
        if (serverWarmup.isZero()) {
            return;
        }
        for (S3Load load : List.of(new S3Load(S3Report.MERIDIAN, meridian, BUCKET, "warmup-", sizes.get(0), threads),
                new S3Load(S3Report.PEER, s3proxy, BUCKET, "warmup-", sizes.get(0), threads))) {
            load.put("warmup", serverWarmup, Duration.ZERO, new CpuWindow(processes));
            load.get("warmup", serverWarmup, Duration.ZERO, new CpuWindow(processes));
        }
    }

    private static List<S3Load> order(int round, boolean meridianFirst, S3Load onMeridian, S3Load onPeer) {
        return (round % 2 == 0) == meridianFirst ? List.of(onMeridian, onPeer) : List.of(onPeer, onMeridian);
    }

    private String roundName(int round) {
        return rounds == 1 ? "" : "round " + (round + 1);
    }

    /** Creates the bucket in the first region, then waits until every region knows it. */
    private static void createBucketEverywhere(List<ObjectReplication.Region> members) throws InterruptedException {
        members.get(0).s3().createBucket(b -> b.bucket(BUCKET));
        long deadline = System.nanoTime() + BUCKET_VISIBLE_TIMEOUT.toNanos();
        for (ObjectReplication.Region member : members) {
            while (!hasBucket(member.s3())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("bucket '" + BUCKET + "' created in " + members.get(0).name()
                            + " is unknown to " + member.name() + " after " + BUCKET_VISIBLE_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(100);
            }
        }
    }

    private static boolean hasBucket(S3Client s3) {
        try {
            s3.headBucket(b -> b.bucket(BUCKET));
            return true;
        } catch (SdkException notYet) {
            return false;
        }
    }

    /** Each region's process, then this one (the load generator and the WAN emulator). */
    private Map<String, ProcessHandle> processes(LocalCluster cluster) {
        Map<String, ProcessHandle> processes = new LinkedHashMap<>();
        for (String name : regions) {
            ProcessMemory.regionProcess(cluster, name).ifPresent(process -> processes.put("region " + name, process));
        }
        processes.put("load generator + WAN emulator", ProcessHandle.current());
        return processes;
    }

    private static boolean positive(Duration duration) {
        return !duration.isZero() && !duration.isNegative();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
