package dev.meridian.objects.replication;

import dev.meridian.core.HybridClock;
import dev.meridian.fabric.Fabric;
import dev.meridian.fabric.Mutation;
import dev.meridian.fabric.RecordCursor;
import dev.meridian.objects.Json;
import dev.meridian.objects.StoredVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Who holds which blob: the fabric keyspace {@code s3.copies}, one record per (blob, destination region), written
 * only by that destination. It replicates like any keyspace, so the origin learns when its bytes have landed and
 * every region knows where else to fetch them from.
 */
final class CopyLedger {
    static final String KEYSPACE = "s3.copies";

    private final Fabric fabric;
    private final String region;

    CopyLedger(Fabric fabric) {
        this.fabric = fabric;
        this.region = fabric.region();
    }

    /** Records that this region now durably holds {@code version}'s bytes. */
    void completed(StoredVersion version, long landedMillis) {
        write(version, new CopyRecord(CopyRecord.State.COMPLETED, version.bucket(), version.object().origin(),
                committedMillis(version), landedMillis, ""));
    }

    /** Records that this region keeps failing to copy {@code version}'s bytes, and why. */
    void failed(StoredVersion version, String error) {
        write(version, new CopyRecord(CopyRecord.State.FAILED, version.bucket(), version.object().origin(),
                committedMillis(version), 0, error));
    }

    /** Drops this region's record of {@code blobId}, once it deleted the bytes. */
    void forget(String blobId) {
        fabric.mutate(KEYSPACE, key(blobId, region),
                current -> current.isPresent() ? Mutation.delete(null) : Mutation.keep(null));
    }

    Optional<CopyRecord> record(String blobId, String destination) {
        return fabric.get(KEYSPACE, key(blobId, destination)).map(r -> Json.decode(r.value(), CopyRecord.class));
    }

    /** Every region's record of {@code blobId}, by region. */
    Map<String, CopyRecord> records(String blobId) {
        var records = new TreeMap<String, CopyRecord>();
        byte[] from = key(blobId, "");
        byte[] to = from.clone();
        to[to.length - 1] = 1;
        try (RecordCursor cursor = fabric.scan(KEYSPACE, from, to, false)) {
            cursor.forEachRemaining(r -> records.put(regionOf(r.key(), from.length),
                    Json.decode(r.value(), CopyRecord.class)));
        }
        return Collections.unmodifiableMap(records);
    }

    /** Calls {@code onChange(blobId, region)} on the fabric's apply thread after every change of a record. */
    void watch(BiConsumer<String, String> onChange) {
        fabric.watch(KEYSPACE, key -> {
            int separator = indexOfZero(key);
            onChange.accept(new String(key, 0, separator, StandardCharsets.UTF_8), regionOf(key, separator + 1));
        });
    }

    static long committedMillis(StoredVersion version) {
        return HybridClock.physicalMillis(version.order().timestamp());
    }

    private void write(StoredVersion version, CopyRecord record) {
        fabric.mutate(KEYSPACE, key(version.object().blobId(), region),
                current -> Mutation.put(Json.encode(record), null));
    }

    private static byte[] key(String blobId, String region) {
        var out = new ByteArrayOutputStream(blobId.length() + region.length() + 1);
        out.writeBytes(blobId.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.writeBytes(region.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String regionOf(byte[] key, int from) {
        return new String(key, from, key.length - from, StandardCharsets.UTF_8);
    }

    private static int indexOfZero(byte[] key) {
        int i = 0;
        while (key[i] != 0) {
            i++;
        }
        return i;
    }
}
