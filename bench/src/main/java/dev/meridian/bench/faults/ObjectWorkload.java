package dev.meridian.bench.faults;

import dev.meridian.bench.SdkClients;
import dev.meridian.testkit.LocalCluster;
import dev.meridian.testkit.history.History;
import dev.meridian.testkit.history.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Clients of a global bucket, through the AWS SDK's S3 client: writers put (small objects, whose bytes travel in the
 * fabric record) and delete a few shared keys in random regions. Recorded in the same history as the tables, under
 * keys {@code s3/<key>}.
 */
final class ObjectWorkload {
    static final String BUCKET = "faults-objects";
    static final String PREFIX = "s3/";
    private static final int KEYS = 10;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final LocalCluster cluster;
    private final CallRecorder calls;
    private final long seed;
    private final List<S3Client> clients = new ArrayList<>();

    ObjectWorkload(LocalCluster cluster, History history, long seed) {
        this.cluster = cluster;
        this.calls = new CallRecorder(history);
        this.seed = seed;
    }

    /** Creates the bucket in the first region and waits until every region has it. */
    void createBucket() throws InterruptedException {
        Map<String, S3Client> inRegion = clientsPerRegion();
        inRegion.get(cluster.regions().get(0)).createBucket(b -> b.bucket(BUCKET));
        Everywhere.await(inRegion.values(), ObjectWorkload::hasBucket, "bucket " + BUCKET);
    }

    static String writer(int index) {
        return "object-writer-" + index;
    }

    /** One writer's calls until {@code deadline}. */
    Callable<Void> writer(int index, long deadline) {
        String process = writer(index);
        Map<String, S3Client> inRegion = clientsPerRegion();
        var random = new Random(seed * 37 + index);
        return () -> {
            for (long n = 0; System.nanoTime() < deadline; n++) {
                String region = cluster.regions().get(random.nextInt(cluster.regions().size()));
                String key = "o" + random.nextInt(KEYS);
                S3Client client = inRegion.get(region);
                if (random.nextInt(5) == 0) {
                    calls.call(process, region, Operation.Kind.DELETE, PREFIX + key, null, () -> {
                        client.deleteObject(b -> b.bucket(BUCKET).key(key));
                        return null;
                    });
                } else {
                    String value = process + "-" + n;
                    calls.call(process, region, Operation.Kind.WRITE, PREFIX + key, value, () -> {
                        client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(value));
                        return value;
                    });
                }
                Thread.sleep(10 + random.nextInt(30));
            }
            return null;
        };
    }

    /** Each region's objects, {@code s3/<key>} to body, listed and read there; throws if a region cannot be read. */
    Map<String, Map<String, String>> contents() {
        var contents = new HashMap<String, Map<String, String>>();
        clientsPerRegion().forEach((region, client) -> {
            var values = new HashMap<String, String>();
            for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents()) {
                values.put(PREFIX + object.key(),
                        client.getObjectAsBytes(b -> b.bucket(BUCKET).key(object.key())).asUtf8String());
            }
            contents.put(region, values);
        });
        return contents;
    }

    private Map<String, S3Client> clientsPerRegion() {
        var byRegion = new HashMap<String, S3Client>();
        for (String region : cluster.regions()) {
            S3Client client = SdkClients.s3(cluster.endpoint(region), region, 2, CALL_TIMEOUT);
            synchronized (clients) {
                clients.add(client);
            }
            byRegion.put(region, client);
        }
        return byRegion;
    }

    private static boolean hasBucket(S3Client client) {
        try {
            client.headBucket(b -> b.bucket(BUCKET));
            return true;
        } catch (S3Exception | SdkClientException e) {
            return false;
        }
    }

    /** Closes every client made. */
    void close() {
        synchronized (clients) {
            clients.forEach(S3Client::close);
        }
    }
}
