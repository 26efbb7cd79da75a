package dev.meridian.bench;

import dev.meridian.client.MeridianSession;
import dev.meridian.testkit.DelayMatrix;
import dev.meridian.testkit.LocalCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code meridian bench consistency}: in a local deployment behind the WAN emulator, a write in one region followed
 * at once by a read in another, one at a time: SESSION reads (and EVENTUAL ones, for contrast) for every ordered pair
 * of regions, then GLOBAL reads in every region. Reports the reads' latency against the injected delays and every
 * read that missed the write.
 */
@Command(name = "consistency", mixinStandardHelpOptions = true,
        description = "Read-your-write across regions: SESSION and EVENTUAL GetItem right after a PutItem in another"
                + " region, for every ordered pair; GLOBAL GetItem in every region; latency and missed writes.")
final class ConsistencyCommand implements Callable<Integer> {
    /** The WAN emulator's one-way delays between the regions: close to real ones. */
    static final DelayMatrix DELAYS = DelayMatrix.realistic();
    static final int ITEM_BYTES = 256;
    /** Longest a call may take: above the 5 s a SESSION read waits before it is read through another region. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

    @Spec
    CommandSpec spec;

    @Option(names = "--regions", split = ",", defaultValue = "us-east-1,eu-west-1,ap-southeast-1",
            description = "Regions to start, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> regions;

    @Option(names = "--ops", defaultValue = "200",
            description = "Measured write-then-read operations per ordered pair of regions (SESSION and EVENTUAL each)"
                    + " and per reading region (GLOBAL) (default: ${DEFAULT-VALUE}).")
    int ops;

    @Option(names = "--rate", defaultValue = "20",
            description = "Most operations started per second; one runs at a time, so slow reads lower it"
                    + " (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--warmup", defaultValue = "30s", converter = DurationConverter.class,
            description = "The same operations over every pair and reading region before measuring, discarded"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--warmup-reads", defaultValue = "3000",
            description = "Eventually consistent GetItem calls per region, back to back in every region at once,"
                    + " before the paced warmup, discarded (default: ${DEFAULT-VALUE}).")
    int warmupReads;

    @Option(names = "--max-duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "Longest one pair (or reading region) is measured; past it the run moves on with fewer"
                    + " operations, and fails (default: ${DEFAULT-VALUE}).")
    Duration maxDuration;

    /** One ordered pair's SESSION and EVENTUAL patterns, run on the same ticks so both see the same machine. */
    private record PairProbe(String writer, String reader, ReadAfterWrite session, ReadAfterWrite eventual) {}

    /** One region's GLOBAL reads, each after a write in the other regions in turn. */
    private record GlobalProbe(String reader, List<ReadAfterWrite> afterWrites) {}

    @Override
    public Integer call() throws Exception {
        if (ops < 1 || rate < 1 || warmup.isNegative() || warmupReads < 0 || maxDuration.isZero()
                || maxDuration.isNegative()) {
            throw new IllegalArgumentException("--ops, --rate and --max-duration must be positive, --warmup and"
                    + " --warmup-reads not negative");
        }
        if (regions.size() < 2 || regions.stream().distinct().count() != regions.size()) {
            throw new IllegalArgumentException("--regions must name at least two distinct regions, got " + regions);
        }
        var machine = MachineInfo.current();
        Progress.say("starting " + regions + " behind the WAN emulator: " + DELAYS.describe(regions));
        List<DynamoDbClient> clients = new ArrayList<>();
        try (LocalCluster cluster = LocalCluster.builder().regions(regions).delays(DELAYS).start()) {
            try {
                Map<String, DynamoDbClient> plain = new LinkedHashMap<>();
                for (String region : regions) {
                    plain.put(region, open(clients, cluster, region));
                }
                BenchTable.create(plain.get(regions.get(0)), plain.values());
                var table = new BenchTable(ITEM_BYTES);
                List<PairProbe> pairs = pairProbes(cluster, clients, plain, table);
                List<GlobalProbe> globals = globalProbes(plain, table);
                RequestPathWarmup.run(plain, table, warmupReads);
                warmUp(pairs, globals);
                List<ConsistencyReport.PairRun> pairRuns = new ArrayList<>();
                for (PairProbe pair : pairs) {
                    pairRuns.add(measure(pair));
                }
                List<ConsistencyReport.ReaderRun> readerRuns = new ArrayList<>();
                for (GlobalProbe global : globals) {
                    readerRuns.add(measure(global));
                }
                var settings = new ConsistencyReport.Settings(regions, DELAYS.describe(regions), ops, rate, warmupReads,
                        warmup, maxDuration, ITEM_BYTES, cluster.config(regions.get(0)).consistency());
                var report = new ConsistencyReport(settings, pairRuns, readerRuns);
                System.out.println(report.markdown(BenchMain.typed(spec), machine));
                return report.passed() ? 0 : 1;
            } finally {
                clients.forEach(DynamoDbClient::close);
            }
        }
    }

    /** For every ordered pair, SESSION clients sharing a new session, and the plain clients for EVENTUAL. */
    private List<PairProbe> pairProbes(LocalCluster cluster, List<DynamoDbClient> clients,
            Map<String, DynamoDbClient> plain, BenchTable table) {
        List<PairProbe> pairs = new ArrayList<>();
        for (String writer : regions) {
            for (String reader : regions) {
                if (!writer.equals(reader)) {
                    var session = new MeridianSession(); // one user's, shared by the writer and the reader
                    var withSession = ReadAfterWrite.session(writer, open(clients, cluster, writer, session), reader,
                            open(clients, cluster, reader, session), table);
                    var eventual = ReadAfterWrite.eventual(writer, plain.get(writer), reader, plain.get(reader), table);
                    pairs.add(new PairProbe(writer, reader, withSession, eventual));
                }
            }
        }
        return pairs;
    }

    /** For every reading region, a GLOBAL read after a plain write in each other region. */
    private List<GlobalProbe> globalProbes(Map<String, DynamoDbClient> plain, BenchTable table) {
        List<GlobalProbe> globals = new ArrayList<>();
        for (String reader : regions) {
            List<ReadAfterWrite> afterWrites = new ArrayList<>();
            for (String writer : regions) {
                if (!writer.equals(reader)) {
                    afterWrites.add(ReadAfterWrite.global(writer, plain.get(writer), reader, plain.get(reader), table));
                }
            }
            globals.add(new GlobalProbe(reader, afterWrites));
        }
        return globals;
    }

    /** Runs every pattern in turn for the warmup's length, so every client, connection and code path is warm. */
    private void warmUp(List<PairProbe> pairs, List<GlobalProbe> globals) throws InterruptedException {
        if (warmup.isZero()) {
            return;
        }
        var discarded = new ReadAfterWrite.Tally();
        List<Runnable> patterns = new ArrayList<>();
        for (PairProbe pair : pairs) {
            patterns.add(() -> {
                pair.session().runInto(discarded);
                pair.eventual().runInto(discarded);
            });
        }
        for (GlobalProbe global : globals) {
            global.afterWrites().forEach(pattern -> patterns.add(() -> pattern.runInto(discarded)));
        }
        paced("warmup (" + warmup.toSeconds() + " s, discarded)", Integer.MAX_VALUE, warmup,
                i -> patterns.get(i % patterns.size()).run());
        if (discarded.result().errors() > 0) {
            Progress.say("warmup: " + discarded.result().errors() + " failed calls, first: "
                    + discarded.result().firstError().orElseThrow());
        }
    }

    private ConsistencyReport.PairRun measure(PairProbe pair) throws InterruptedException {
        var session = new ReadAfterWrite.Tally();
        var eventual = new ReadAfterWrite.Tally();
        boolean finished = paced("SESSION and EVENTUAL, write in " + pair.writer() + ", read in " + pair.reader(), ops,
                maxDuration, i -> {
                    pair.session().runInto(session);
                    pair.eventual().runInto(eventual);
                });
        return new ConsistencyReport.PairRun(pair.writer(), pair.reader(), DELAYS.oneWay(pair.writer(), pair.reader()),
                session.result(), eventual.result(), finished);
    }

    private ConsistencyReport.ReaderRun measure(GlobalProbe global) throws InterruptedException {
        var tally = new ReadAfterWrite.Tally();
        List<ReadAfterWrite> afterWrites = global.afterWrites();
        boolean finished = paced("GLOBAL, read in " + global.reader(), ops, maxDuration,
                i -> afterWrites.get(i % afterWrites.size()).runInto(tally));
        String farthest = afterWrites.stream().map(ReadAfterWrite::writeRegion)
                .max(Comparator.comparing(peer -> roundTrip(global.reader(), peer)))
                .orElseThrow();
        return new ConsistencyReport.ReaderRun(global.reader(),
                afterWrites.stream().map(ReadAfterWrite::writeRegion).toList(), farthest,
                roundTrip(global.reader(), farthest), tally.result(), finished);
    }

    private static Duration roundTrip(String a, String b) {
        return DELAYS.oneWay(a, b).plus(DELAYS.oneWay(b, a));
    }

    /**
     * Runs {@code operation} (given its index) one at a time, starting at most {@code rate} a second, {@code count}
     * times or until {@code limit} has passed; true when it ran all {@code count}.
     */
    private boolean paced(String what, int count, Duration limit, IntConsumer operation) throws InterruptedException {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long deadline = System.nanoTime() + limit.toNanos();
        var done = new AtomicInteger(); // written here, read by the progress thread
        String of = count == Integer.MAX_VALUE ? "" : " of " + count;
        Progress.say(what + ": " + (count == Integer.MAX_VALUE ? "" : count + " operations, ") + "at most " + rate
                + "/s");
        try (Progress progress = Progress.every(Progress.EVERY, () -> what + ": " + done.get() + of + " done")) {
            long next = System.nanoTime();
            while (done.get() < count) {
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    return false;
                }
                if (next - now > 0) {
                    TimeUnit.NANOSECONDS.sleep(next - now);
                }
                next = System.nanoTime() + interval;
                operation.accept(done.get());
                done.incrementAndGet();
            }
            return true;
        }
    }

    private static DynamoDbClient open(List<DynamoDbClient> clients, LocalCluster cluster, String region,
            ExecutionInterceptor... interceptors) {
        DynamoDbClient client = SdkClients.dynamo(cluster.endpoint(region), region, 1, CALL_TIMEOUT, interceptors);
        clients.add(client);
        return client;
    }
}
