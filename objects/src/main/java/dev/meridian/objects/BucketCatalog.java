package dev.meridian.objects;

import dev.meridian.fabric.Fabric;
import dev.meridian.fabric.Mutation;
import dev.meridian.fabric.Record;
import dev.meridian.fabric.RecordCursor;
import dev.meridian.objects.s3.S3Error;
import dev.meridian.objects.s3.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Buckets in the fabric's {@code s3.buckets} keyspace: global, so a bucket created in one region exists in all of
 * them once the write replicates. Parsed buckets are cached; every local or replicated change invalidates.
 */
public final class BucketCatalog {
    public static final String KEYSPACE = "s3.buckets";

    private final Fabric fabric;
    private final Map<String, Optional<Bucket>> cache = new ConcurrentHashMap<>();
    /** Bumped on every change, so a load that raced with a change does not cache what it read before it. */
    private final AtomicLong generation = new AtomicLong();

    BucketCatalog(Fabric fabric) {
        this.fabric = fabric;
        fabric.watch(KEYSPACE, key -> {
            generation.incrementAndGet();
            cache.remove(new String(key, StandardCharsets.UTF_8));
        });
    }

    public Optional<Bucket> find(String name) {
        Optional<Bucket> cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        long before = generation.get();
        Optional<Bucket> loaded = fabric.get(KEYSPACE, key(name)).map(BucketCatalog::parse);
        if (generation.get() == before) {
            cache.put(name, loaded);
        }
        return loaded;
    }

    /** The bucket, or NoSuchBucket. */
    public Bucket require(String name) {
        return find(name).orElseThrow(() -> noSuchBucket(name));
    }

    public List<Bucket> list() {
        List<Bucket> buckets = new ArrayList<>();
        try (RecordCursor cursor = fabric.scan(KEYSPACE, null, null, false)) {
            cursor.forEachRemaining(record -> buckets.add(parse(record)));
        }
        return buckets;
    }

    void create(Bucket bucket) {
        BucketNames.check(bucket.name());
        fabric.mutate(KEYSPACE, key(bucket.name()), current -> {
            if (current.isPresent()) {
                throw new S3Exception(S3Error.BUCKET_ALREADY_OWNED_BY_YOU).with("BucketName", bucket.name());
            }
            return Mutation.put(Json.encode(bucket), null);
        });
    }

    /** Deletes the bucket if {@code isEmpty} says so when checked under the bucket's lock. */
    void delete(String name, Predicate<String> isEmpty) {
        fabric.mutate(KEYSPACE, key(name), current -> {
            if (current.isEmpty()) {
                throw noSuchBucket(name);
            }
            if (!isEmpty.test(name)) {
                throw new S3Exception(S3Error.BUCKET_NOT_EMPTY).with("BucketName", name);
            }
            return Mutation.delete(null);
        });
    }

    void setVersioning(String name, Bucket.Versioning status) {
        fabric.mutate(KEYSPACE, key(name), current -> {
            Bucket bucket = current.map(BucketCatalog::parse).orElseThrow(() -> noSuchBucket(name));
            return Mutation.put(Json.encode(bucket.withVersioning(status)), null);
        });
    }

    static S3Exception noSuchBucket(String name) {
        return new S3Exception(S3Error.NO_SUCH_BUCKET).with("BucketName", name);
    }

    private static Bucket parse(Record record) {
        return Json.decode(record.value(), Bucket.class);
    }

    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
