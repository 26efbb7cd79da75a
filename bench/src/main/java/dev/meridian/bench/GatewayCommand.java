package dev.meridian.bench;

import static dev.meridian.bench.Percentiles.millis;
import static dev.meridian.bench.Percentiles.ms;

import dev.meridian.core.DurationText;
import dev.meridian.gateway.Gateway;
import dev.meridian.gateway.GatewayConfig;
import dev.meridian.gateway.RegionTarget;
import dev.meridian.gateway.proxy.ProxyService;
import dev.meridian.testkit.DelayMatrix;
import dev.meridian.testkit.LocalCluster;
import dev.meridian.testkit.WanLink;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code meridian bench gateway}: what the gateway costs and what it buys. The latency a request gains through
 * the gateway on loopback (GetItem, direct and through it in alternating rounds) and the throughput either way;
 * an edge-cache hit against a fetch from an origin across an emulated WAN link; then, in front of three regions behind the WAN emulator, how long a client's reads and writes take to move off
 * a region killed with kill -9, over repeated kills, and how long until its traffic returns.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Latency and throughput through the gateway vs direct; edge-cache hits vs origin fetches over"
                + " the emulated WAN; time to move traffic off a killed region.")
final class GatewayCommand implements Callable<Integer> {
    static final int ITEM_BYTES = 256;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** The target (issue 6): traffic off a killed region within this, median, with default settings. */
    private static final Duration FAILOVER_TARGET = Duration.ofSeconds(3);
    private static final double OVERHEAD_TARGET_MILLIS = 1.0;
    private static final double CACHE_SPEEDUP_TARGET = 10;

    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", defaultValue = "20",
            description = "Alternating rounds of the latency comparison (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--per-round", defaultValue = "100",
            description = "GetItem calls per side in each round (default: ${DEFAULT-VALUE}).")
    int perRound;

    @Option(names = "--warmup", defaultValue = "2000",
            description = "GetItem calls per side before measuring, discarded (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--threads", defaultValue = "8",
            description = "Client threads of the throughput comparison (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long each side of the throughput comparison runs (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--cache-delay", defaultValue = "40ms", converter = DurationConverter.class,
            description = "One-way delay between the gateway and the origin region in the cache comparison"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration cacheDelay;

    @Option(names = "--cache-gets", defaultValue = "200",
            description = "GetObject calls measured each way in the cache comparison (default: ${DEFAULT-VALUE}).")
    int cacheGets;

    @Option(names = "--kills", defaultValue = "5",
            description = "Regions killed (and restarted) in the failover part; 0 skips it (default: ${DEFAULT-VALUE}).")
    int kills;

    /** One kill: where the client was, how long until its reads and writes succeeded elsewhere, and back. */
    record Kill(String region, String movedTo, long readsMovedMillis, int failedReads, long writesMovedMillis,
            int failedWrites, long backMillis) {}

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || perRound < 1 || threads < 1 || cacheGets < 1 || kills < 0 || warmup < 0) {
            throw new IllegalArgumentException("--rounds, --per-round, --threads and --cache-gets must be positive,"
                    + " --kills and --warmup not negative");
        }
        var machine = MachineInfo.current();
        var table = new BenchTable(ITEM_BYTES);
        Overhead overhead = overhead(table);
        CacheRun cache = cache();
        List<Kill> killed = kills == 0 ? List.of() : failovers(table);
        System.out.println(markdown(machine, overhead, cache, killed));
        return 0;
    }

    /** The loopback comparison's results. */
    record Overhead(Histogram direct, Histogram through, double directPerSecond, double throughPerSecond) {}

    private Overhead overhead(BenchTable table) throws Exception {
        Progress.say("starting one region and a gateway in front of it");
        try (LocalCluster cluster = LocalCluster.builder().regions("us-east-1").start();
                Gateway gateway = Gateway.start(GatewayConfig.of(0,
                        List.of(new RegionTarget("us-east-1", cluster.endpoint("us-east-1")))))) {
            URI through = URI.create("http://127.0.0.1:" + gateway.port());
            try (DynamoDbClient direct = SdkClients.dynamo(cluster.endpoint("us-east-1"), "us-east-1", threads,
                    CALL_TIMEOUT);
                    DynamoDbClient viaGateway = SdkClients.dynamo(through, "us-east-1", threads, CALL_TIMEOUT)) {
                BenchTable.create(direct, List.of(direct, viaGateway));
                direct.putItem(b -> b.tableName(BenchTable.NAME).item(table.item("k")));
                Progress.say("latency: " + rounds + " rounds of " + perRound + " GetItem direct, then as many "
                        + "through the gateway");
                Histogram onDirect = Percentiles.newMicros();
                Histogram onGateway = Percentiles.newMicros();
                getItems(direct, Percentiles.newMicros(), warmup);
                getItems(viaGateway, Percentiles.newMicros(), warmup);
                for (int round = 0; round < rounds; round++) {
                    getItems(direct, onDirect, perRound);
                    getItems(viaGateway, onGateway, perRound);
                }
                Progress.say("throughput: " + threads + " threads for " + DurationText.format(duration)
                        + " direct, then through the gateway");
                double directRate = throughput(direct);
                double gatewayRate = throughput(viaGateway);
                return new Overhead(onDirect, onGateway, directRate, gatewayRate);
            }
        }
    }

    /** GetObject latency from the edge cache and from the origin across the delayed link. */
    record CacheRun(Histogram hits, Histogram origin, int objectBytes) {}

    private CacheRun cache() throws Exception {
        int objectBytes = 64 * 1024;
        Progress.say("starting one region " + DurationText.format(cacheDelay) + " away from two gateways, one"
                + " with the edge cache");
        try (LocalCluster cluster = LocalCluster.builder().regions("us-east-1").start();
                WanLink link = WanLink.builder("edge", "us-east-1", new InetSocketAddress("127.0.0.1",
                        cluster.endpoint("us-east-1").getPort())).delays(cacheDelay, cacheDelay).open()) {
            List<RegionTarget> far = List.of(new RegionTarget("us-east-1",
                    URI.create("http://127.0.0.1:" + link.address().getPort())));
            Path cacheDir = Files.createTempDirectory("meridian-bench-edge-cache");
            try (Gateway plain = Gateway.start(GatewayConfig.of(0, far));
                    Gateway caching = Gateway.start(GatewayConfig.of(0, far).withCache(cacheDir));
                    S3Client viaPlain = SdkClients.s3(URI.create("http://127.0.0.1:" + plain.port()), "us-east-1", 1);
                    S3Client viaCache = SdkClients.s3(URI.create("http://127.0.0.1:" + caching.port()), "us-east-1",
                            1)) {
                byte[] body = new byte[objectBytes];
                new java.util.Random(1).nextBytes(body);
                viaPlain.createBucket(b -> b.bucket("edge"));
                viaPlain.putObject(b -> b.bucket("edge").key("logo.png").cacheControl("public, max-age=3600"),
                        RequestBody.fromBytes(body));
                Progress.say("cache: " + cacheGets + " GetObject of " + objectBytes / 1024 + " KiB from the origin,"
                        + " then as many from the edge cache");
                Histogram origin = Percentiles.newMicros();
                Histogram hits = Percentiles.newMicros();
                getObjects(viaPlain, Percentiles.newMicros(), cacheGets / 4);
                getObjects(viaPlain, origin, cacheGets);
                getObjects(viaCache, Percentiles.newMicros(), cacheGets / 4);
                getObjects(viaCache, hits, cacheGets);
                return new CacheRun(hits, origin, objectBytes);
            } finally {
                Files.deleteIfExists(cacheDir); // the cache deleted its own files when it closed
            }
        }
    }

    private static void getObjects(S3Client client, Histogram into, int count) {
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            client.getObjectAsBytes(b -> b.bucket("edge").key("logo.png"));
            into.recordValue(Math.min((System.nanoTime() - start) / 1000, Percentiles.MAX_MICROS));
        }
    }

    private static void getItems(DynamoDbClient client, Histogram into, int count) {
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            client.getItem(b -> b.tableName(BenchTable.NAME).key(BenchTable.key("k")));
            into.recordValue(Math.min((System.nanoTime() - start) / 1000, Percentiles.MAX_MICROS));
        }
    }

    private double throughput(DynamoDbClient client) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        long[] done = new long[threads];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int slot = t;
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < end) {
                    client.getItem(b -> b.tableName(BenchTable.NAME).key(BenchTable.key("k")));
                    done[slot]++;
                }
            }, "bench-gateway-" + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long total = 0;
        for (long count : done) {
            total += count;
        }
        return total / (duration.toNanos() / 1e9);
    }

    private List<Kill> failovers(BenchTable table) throws Exception {
        List<String> regions = LocalCluster.DEFAULT_REGIONS;
        Progress.say("starting " + regions + " behind the WAN emulator and a gateway in front of them");
        try (LocalCluster cluster = LocalCluster.builder().regions(regions).delays(DelayMatrix.realistic()).start();
                Gateway gateway = Gateway.start(GatewayConfig.of(0,
                        regions.stream().map(r -> new RegionTarget(r, cluster.endpoint(r))).toList()))) {
            ServedBy servedBy = new ServedBy();
            URI through = URI.create("http://127.0.0.1:" + gateway.port());
            try (DynamoDbClient client = SdkClients.dynamo(through, regions.get(0), 1, CALL_TIMEOUT, servedBy)) {
                List<DynamoDbClient> direct = regions.stream()
                        .map(r -> SdkClients.dynamo(cluster.endpoint(r), r, 1, CALL_TIMEOUT)).toList();
                BenchTable.create(client, direct);
                direct.forEach(DynamoDbClient::close);
                client.putItem(b -> b.tableName(BenchTable.NAME).item(table.item("k")));
                List<Kill> results = new ArrayList<>();
                for (int i = 0; i < kills; i++) {
                    results.add(killOnce(cluster, gateway, client, servedBy, table, i));
                }
                return results;
            }
        }
    }

    private static Kill killOnce(LocalCluster cluster, Gateway gateway, DynamoDbClient client, ServedBy servedBy,
            BenchTable table, int round) throws InterruptedException {
        client.getItem(b -> b.tableName(BenchTable.NAME).key(BenchTable.key("k")));
        String home = servedBy.last;
        Progress.say("kill " + (round + 1) + ": kill -9 " + home + ", where the client is served");
        cluster.kill9(home);
        long killed = System.nanoTime();
        int failedReads = 0;
        while (!succeeds(() -> client.getItem(b -> b.tableName(BenchTable.NAME).key(BenchTable.key("k"))))
                || servedBy.last.equals(home)) {
            failedReads++;
            Progress.say("kill " + (round + 1) + ": read failed: " + lastFailure);
            TimeUnit.MILLISECONDS.sleep(10);
        }
        long readsMoved = (System.nanoTime() - killed) / 1_000_000;
        String movedTo = servedBy.last;
        int failedWrites = 0;
        while (!succeeds(() -> client.putItem(b -> b.tableName(BenchTable.NAME).item(table.item("k"))))) {
            failedWrites++;
            TimeUnit.MILLISECONDS.sleep(10);
        }
        long writesMoved = (System.nanoTime() - killed) / 1_000_000;
        Progress.say("kill " + (round + 1) + ": reads served by " + movedTo + " after " + readsMoved
                + " ms; restarting " + home);
        cluster.restart(home);
        long restarted = System.nanoTime();
        while (!succeeds(() -> client.getItem(b -> b.tableName(BenchTable.NAME).key(BenchTable.key("k"))))
                || !servedBy.last.equals(home)) {
            TimeUnit.MILLISECONDS.sleep(50);
            if (System.nanoTime() - restarted > TimeUnit.MINUTES.toNanos(3)) {
                throw new IllegalStateException("traffic did not return to " + home + " within 3 minutes of its"
                        + " restart; gateway sees " + gateway.regions().ranked());
            }
        }
        long back = (System.nanoTime() - restarted) / 1_000_000;
        return new Kill(home, movedTo, readsMoved, failedReads, writesMoved, failedWrites, back);
    }

    private static volatile String lastFailure = "";

    private static boolean succeeds(Runnable call) {
        try {
            call.run();
            lastFailure = "";
            return true;
        } catch (SdkException e) {
            lastFailure = e.getMessage();
            return false;
        }
    }

    private String markdown(MachineInfo machine, Overhead overhead, CacheRun cache, List<Kill> killed) {
        var out = new StringBuilder("### Gateway (latest run)\n\n");
        out.append(machine.markdown(BenchMain.typed(spec)));
        out.append("- Latency: one region, the gateway in this JVM in front of it; GetItem of one ").append(ITEM_BYTES)
                .append("-byte item, one at a time, ").append(rounds).append(" alternating rounds of ")
                .append(perRound).append(" direct then ").append(perRound).append(" through the gateway after ")
                .append(warmup).append(" each discarded (AWS SDK v2, Apache HttpClient 5, no retries)\n");
        out.append("- Throughput: ").append(threads).append(" threads, closed loop, ")
                .append(DurationText.format(duration)).append(" each way\n\n");
        double added = millis(overhead.through(), 50) - millis(overhead.direct(), 50);
        out.append("| path | p50 | p90 | p99 | GetItem/s |\n|---|---:|---:|---:|---:|\n");
        out.append("| direct | ").append(ms(millis(overhead.direct(), 50))).append(" | ")
                .append(ms(millis(overhead.direct(), 90))).append(" | ").append(ms(millis(overhead.direct(), 99)))
                .append(" | ").append(Math.round(overhead.directPerSecond())).append(" |\n");
        out.append("| through the gateway | ").append(ms(millis(overhead.through(), 50))).append(" | ")
                .append(ms(millis(overhead.through(), 90))).append(" | ").append(ms(millis(overhead.through(), 99)))
                .append(" | ").append(Math.round(overhead.throughPerSecond())).append(" |\n\n");
        out.append("Added at the median: ").append(ms(added)).append(" ms (target <= ")
                .append(OVERHEAD_TARGET_MILLIS).append(" ms: ")
                .append(added <= OVERHEAD_TARGET_MILLIS ? "met" : "**not met**").append(")\n");
        double originP50 = millis(cache.origin(), 50);
        double hitP50 = millis(cache.hits(), 50);
        out.append("\nEdge cache: one region ").append(DurationText.format(cacheDelay))
                .append(" one-way from the gateway (WAN emulator link); GetObject of one ")
                .append(cache.objectBytes() / 1024).append(" KiB object with `Cache-Control: public, max-age=3600`,")
                .append(" signed, one at a time, ").append(cacheGets).append(" each way after ").append(cacheGets / 4)
                .append(" discarded: through a gateway without the cache (origin) and through one with it (hits)\n\n");
        out.append("| path | p50 | p90 | p99 |\n|---|---:|---:|---:|\n");
        out.append("| origin across the link | ").append(ms(originP50)).append(" | ")
                .append(ms(millis(cache.origin(), 90))).append(" | ").append(ms(millis(cache.origin(), 99)))
                .append(" |\n");
        out.append("| edge cache hit | ").append(ms(hitP50)).append(" | ").append(ms(millis(cache.hits(), 90)))
                .append(" | ").append(ms(millis(cache.hits(), 99))).append(" |\n\n");
        double speedup = originP50 / hitP50;
        out.append("A hit is ").append(String.format("%.1f", speedup)).append("x faster at the median (target >= ")
                .append(CACHE_SPEEDUP_TARGET).append("x: ").append(speedup >= CACHE_SPEEDUP_TARGET ? "met" : "**not met**")
                .append(")\n");
        if (!killed.isEmpty()) {
            out.append("\nFailover: 3 regions (").append(DelayMatrix.realistic().describe(LocalCluster.DEFAULT_REGIONS))
                    .append(" one-way) behind the WAN emulator, gateway defaults; one client (no SDK retries) reads")
                    .append(" every 10 ms; its region is killed with kill -9, then restarted (ms):\n\n");
            out.append("| kill | region | reads moved to | reads served elsewhere after | failed reads |")
                    .append(" writes succeeded after | failed writes | traffic back after the restarted region answered |\n");
            out.append("|---:|---|---|---:|---:|---:|---:|---:|\n");
            int n = 1;
            for (Kill kill : killed) {
                out.append("| ").append(n++).append(" | ").append(kill.region()).append(" | ").append(kill.movedTo())
                        .append(" | ").append(kill.readsMovedMillis()).append(" | ").append(kill.failedReads())
                        .append(" | ").append(kill.writesMovedMillis()).append(" | ").append(kill.failedWrites())
                        .append(" | ").append(kill.backMillis()).append(" |\n");
            }
            long median = median(killed.stream().mapToLong(k -> Math.max(k.readsMovedMillis(), k.writesMovedMillis()))
                    .toArray());
            out.append("\nTraffic (reads and writes) off the killed region, median: ").append(median)
                    .append(" ms (target <= ").append(FAILOVER_TARGET.toMillis()).append(" ms: ")
                    .append(median <= FAILOVER_TARGET.toMillis() ? "met" : "**not met**").append(")\n");
        }
        return out.toString();
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The region that answered the client's last call, from the gateway's response header. */
    private static final class ServedBy implements ExecutionInterceptor {
        volatile String last = "";

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            context.httpResponse().firstMatchingHeader(ProxyService.SERVED_BY).ifPresent(region -> last = region);
        }
    }
}
