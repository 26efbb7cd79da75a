package dev.meridian.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Back-to-back eventually consistent GetItem calls in every region at once, so that the request path (SigV4, JSON,
 * the HTTP server, the SDK client) is compiled before anything is measured: a warmup paced at a few calls a second
 * is too short for the JIT, and left several milliseconds of interpreted code in every measured call. Bounded in
 * count and in time.
 */
final class RequestPathWarmup {
    private static final Duration LIMIT = Duration.ofMinutes(2);

    private RequestPathWarmup() {}

    /** Writes one item per region, then reads it {@code reads} times there, every region in its own thread. */
    static void run(Map<String, DynamoDbClient> clients, BenchTable table, int reads) throws Exception {
        if (reads == 0) {
            return;
        }
        Progress.say("warmup: " + reads + " eventually consistent reads per region, all regions at once");
        long deadline = System.nanoTime() + LIMIT.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        try {
            List<Future<?>> regions = new ArrayList<>();
            clients.forEach((region, client) -> {
                String key = region + "-warm";
                client.putItem(b -> b.tableName(BenchTable.NAME).item(table.item(key)));
                regions.add(pool.submit(() -> {
                    for (int i = 0; i < reads && System.nanoTime() < deadline; i++) {
                        client.getItem(b -> b.tableName(BenchTable.NAME).key(BenchTable.key(key)));
                    }
                    return null;
                }));
            });
            for (Future<?> region : regions) {
                region.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
