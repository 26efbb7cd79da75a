package dev.meridian.bench.faults;

import dev.meridian.bench.SdkClients;
import dev.meridian.client.ConsistencyToken;
import dev.meridian.client.MeridianSession;
import dev.meridian.testkit.LocalCluster;
import dev.meridian.testkit.history.History;
import dev.meridian.testkit.history.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Clients of a global table, through the AWS SDK, recording every call in a {@link History}:
 * <ul>
 *   <li>writers put and delete a small set of shared keys in random regions (eventual);
 *   <li>sessions (each a {@link MeridianSession}) write, delete and read keys only they write, in random regions,
 *       and read the counter;
 *   <li>one writer puts ever larger numbers into the counter, always in the first region;
 *   <li>GLOBAL readers read the shared keys in random regions.
 * </ul>
 * Each client waits 10-40 ms between calls, so the load is bounded whatever the faults.
 */
final class TableWorkload {
    static final String TABLE = "faults";
    static final String COUNTER = "counter";
    private static final int SHARED_KEYS = 20;
    private static final int KEYS_PER_SESSION = 4;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final AwsRequestOverrideConfiguration GLOBAL = AwsRequestOverrideConfiguration.builder()
            .putHeader(ConsistencyToken.CONSISTENCY_HEADER, "global").build();

    private final LocalCluster cluster;
    private final CallRecorder calls;
    private final long seed;
    private final List<DynamoDbClient> clients = new ArrayList<>();

    TableWorkload(LocalCluster cluster, History history, long seed) {
        this.cluster = cluster;
        this.calls = new CallRecorder(history);
        this.seed = seed;
    }

    /** Creates the table in the first region and waits until every region has it. */
    void createTable() throws InterruptedException {
        Map<String, DynamoDbClient> plain = clientsPerRegion();
        plain.get(cluster.regions().get(0)).createTable(b -> b.tableName(TABLE)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        Everywhere.await(plain.values(), TableWorkload::hasTable, "table " + TABLE);
    }

    /** The processes that read with SESSION consistency. */
    static Set<String> sessions(int sessions) {
        var names = new TreeSet<String>();
        for (int i = 0; i < sessions; i++) {
            names.add("session-" + i);
        }
        return names;
    }

    /** The processes that read with GLOBAL consistency. */
    static Set<String> globalReaders(int readers) {
        var names = new TreeSet<String>();
        for (int i = 0; i < readers; i++) {
            names.add("global-" + i);
        }
        return names;
    }

    /** Runs every kind of client, as many as asked, and the counter writer until {@code duration} is over. */
    void run(Duration duration, int writers, int sessions, int globalReaders) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        ExecutorService threads = Executors.newFixedThreadPool(writers + sessions + globalReaders + 1);
        try {
            var running = new ArrayList<Future<?>>();
            for (int i = 0; i < writers; i++) {
                running.add(threads.submit(writer(i, deadline)));
            }
            for (String session : sessions(sessions)) {
                running.add(threads.submit(session(session, deadline)));
            }
            for (String reader : globalReaders(globalReaders)) {
                running.add(threads.submit(globalReader(reader, deadline)));
            }
            running.add(threads.submit(counter(deadline)));
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** Each region's table, key to value, read with a plain Scan; throws if a region cannot be read. */
    Map<String, Map<String, String>> contents() {
        return contents(clientsPerRegion(), TABLE);
    }

    /** {@code table} (items of {@code pk} and {@code v}) as each region's client scans it, key to value. */
    static Map<String, Map<String, String>> contents(Map<String, DynamoDbClient> inRegion, String table) {
        var contents = new HashMap<String, Map<String, String>>();
        inRegion.forEach((region, client) -> {
            var values = new HashMap<String, String>();
            client.scanPaginator(b -> b.tableName(table)).items()
                    .forEach(item -> values.put(item.get("pk").s(), item.get("v").s()));
            contents.put(region, values);
        });
        return contents;
    }

    private Callable<Void> writer(int index, long deadline) {
        String process = "writer-" + index;
        Map<String, DynamoDbClient> inRegion = clientsPerRegion();
        var random = new Random(seed * 31 + index);
        return () -> {
            for (long n = 0; System.nanoTime() < deadline; n++) {
                String region = pick(random);
                String key = "k" + random.nextInt(SHARED_KEYS);
                if (random.nextInt(5) == 0) {
                    delete(process, inRegion.get(region), region, key);
                } else {
                    put(process, inRegion.get(region), region, key, process + "-" + n);
                }
                pause(random);
            }
            return null;
        };
    }

    private Callable<Void> session(String process, long deadline) {
        Map<String, DynamoDbClient> inRegion = clientsPerRegion(new MeridianSession());
        var random = new Random(seed * 31 + process.hashCode());
        return () -> {
            for (long n = 0; System.nanoTime() < deadline; n++) {
                String region = pick(random);
                String key = process + "-k" + random.nextInt(KEYS_PER_SESSION);
                int action = random.nextInt(20);
                if (action < 8) {
                    put(process, inRegion.get(region), region, key, process + "-" + n);
                } else if (action < 10) {
                    delete(process, inRegion.get(region), region, key);
                } else if (action < 17) {
                    read(process, inRegion.get(region), region, key);
                } else {
                    read(process, inRegion.get(region), region, COUNTER);
                }
                pause(random);
            }
            return null;
        };
    }

    private Callable<Void> globalReader(String process, long deadline) {
        Map<String, DynamoDbClient> inRegion = clientsPerRegion();
        var random = new Random(seed * 31 + process.hashCode());
        return () -> {
            while (System.nanoTime() < deadline) {
                String region = pick(random);
                read(process, inRegion.get(region), region, "k" + random.nextInt(SHARED_KEYS), GLOBAL);
                pause(random);
            }
            return null;
        };
    }

    private Callable<Void> counter(long deadline) {
        String region = cluster.regions().get(0);
        DynamoDbClient client = clientsPerRegion().get(region);
        var random = new Random(seed);
        return () -> {
            for (long n = 1; System.nanoTime() < deadline; n++) {
                put("counter", client, region, COUNTER, Long.toString(n));
                pause(random);
            }
            return null;
        };
    }

    private void put(String process, DynamoDbClient client, String region, String key, String value) {
        calls.call(process, region, Operation.Kind.WRITE, key, value, () -> {
            client.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS(key), "v",
                    AttributeValue.fromS(value))));
            return value;
        });
    }

    private void delete(String process, DynamoDbClient client, String region, String key) {
        calls.call(process, region, Operation.Kind.DELETE, key, null, () -> {
            client.deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS(key))));
            return null;
        });
    }

    private void read(String process, DynamoDbClient client, String region, String key) {
        read(process, client, region, key, AwsRequestOverrideConfiguration.builder().build());
    }

    private void read(String process, DynamoDbClient client, String region, String key,
            AwsRequestOverrideConfiguration consistency) {
        calls.call(process, region, Operation.Kind.READ, key, null, () -> {
            Map<String, AttributeValue> item = client.getItem(b -> b.tableName(TABLE)
                    .key(Map.of("pk", AttributeValue.fromS(key))).overrideConfiguration(consistency)).item();
            return item.isEmpty() ? null : item.get("v").s();
        });
    }

    private Map<String, DynamoDbClient> clientsPerRegion(ExecutionInterceptor... interceptors) {
        var byRegion = new HashMap<String, DynamoDbClient>();
        for (String region : cluster.regions()) {
            DynamoDbClient client = SdkClients.dynamo(cluster.endpoint(region), region, 2, CALL_TIMEOUT, interceptors);
            synchronized (clients) {
                clients.add(client);
            }
            byRegion.put(region, client);
        }
        return byRegion;
    }

    private String pick(Random random) {
        return cluster.regions().get(random.nextInt(cluster.regions().size()));
    }

    private static void pause(Random random) throws InterruptedException {
        Thread.sleep(10 + random.nextInt(30));
    }

    private static boolean hasTable(DynamoDbClient client) {
        try {
            return client.describeTable(b -> b.tableName(TABLE)).table() != null;
        } catch (DynamoDbException | SdkClientException e) {
            return false;
        }
    }

    /** Closes every client made. */
    void close() {
        synchronized (clients) {
            clients.forEach(DynamoDbClient::close);
        }
    }
}
