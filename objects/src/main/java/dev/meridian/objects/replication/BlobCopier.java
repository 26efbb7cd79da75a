package dev.meridian.objects.replication;

import dev.meridian.fabric.ReplicationDelays;
import dev.meridian.objects.ObjectCatalog;
import dev.meridian.objects.ObjectKeys;
import dev.meridian.objects.ObjectVersion;
import dev.meridian.objects.StoredVersion;
import dev.meridian.objects.blob.BlobStore;
import dev.meridian.objects.blob.BodyInputStream;
import dev.meridian.objects.blob.StagedBlob;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the bytes a version slot references into this region: streams them from a region that has them, through
 * the bandwidth limit, into a staging file; checks their size and CRC32C (or ETag); commits them under the same
 * blob id; and records the copy in the ledger. Runs on a copy worker's thread, which it blocks.
 */
final class BlobCopier {
    private static final Logger log = LoggerFactory.getLogger(BlobCopier.class);

    private final ObjectCatalog catalog;
    private final BlobStore blobs;
    private final ReplicationTopology topology;
    private final BlobSources sources;
    private final CopyLedger ledger;
    private final BandwidthLimit bandwidth;
    private final ReplicationDelays delays;
    private final Clock clock;

    BlobCopier(ObjectCatalog catalog, BlobStore blobs, ReplicationTopology topology, BlobSources sources,
            CopyLedger ledger, BandwidthLimit bandwidth, ReplicationDelays delays, Clock clock) {
        this.catalog = catalog;
        this.blobs = blobs;
        this.topology = topology;
        this.sources = sources;
        this.ledger = ledger;
        this.bandwidth = bandwidth;
        this.delays = delays;
        this.clock = clock;
    }

    /** Thrown when an attempt to copy {@code version}'s bytes failed; a later attempt may succeed. */
    static final class CopyFailedException extends Exception {
        private final transient StoredVersion version;

        CopyFailedException(StoredVersion version, Throwable cause) {
            super(cause.getMessage(), cause);
            this.version = version;
        }

        StoredVersion version() {
            return version;
        }
    }

    /** Whether this region should hold {@code version}'s bytes and does not yet. */
    boolean missing(StoredVersion version) {
        return !version.object().hasInlineBytes() && topology.shouldHold(version)
                && !blobs.has(version.object().blobId());
    }

    /** Copies the bytes {@code slot} references now, if this region should hold them and does not. */
    void copy(ObjectKeys.Slot slot) throws CopyFailedException, InterruptedException {
        Optional<StoredVersion> wanted = catalog.slot(slot).filter(this::missing);
        if (wanted.isEmpty()) {
            return;
        }
        StoredVersion version = wanted.get();
        ObjectVersion object = version.object();
        try {
            FetchedBlob fetched = sources.open(version, Optional.empty()).get();
            blobs.commit(stageVerified(object, fetched), object.blobId());
        } catch (ExecutionException e) {
            throw new CopyFailedException(version, e.getCause());
        } catch (IOException | RuntimeException e) {
            throw new CopyFailedException(version, e);
        }
        long landed = clock.millis();
        ledger.completed(version, landed);
        delays.record(object.origin(), (landed - CopyLedger.committedMillis(version)) * 1000);
        log.debug("event=object_copied bucket={} key=\"{}\" version={} blob={} bytes={} origin={}", version.bucket(),
                version.key(), object.versionId(), object.blobId(), object.size(), object.origin());
    }

    /**
     * Stages the fetched bytes and checks them against the version's size and CRC32C, or its ETag where the origin
     * recorded no CRC32C; mismatching bytes are dropped.
     */
    private StagedBlob stageVerified(ObjectVersion object, FetchedBlob fetched) throws IOException {
        boolean byCrc = object.blobCrc32c() != null;
        String expected = byCrc ? "CRC32C " + Integer.toHexString(object.blobCrc32c()) : "ETag " + object.etag();
        StagedBlob staged;
        String got;
        try (InputStream body = BodyInputStream.of(fetched.body(), fetched.body().defaultSubscriberExecutor())) {
            InputStream in = bandwidth.throttle(body);
            if (byCrc) {
                staged = blobs.stageCopy(in, object.size());
                got = "CRC32C " + Integer.toHexString(staged.crc32c().orElseThrow());
            } else if (object.isMultipart()) {
                var parts = new MultipartEtag(in, object.partSizes());
                staged = blobs.stage(parts, Set.of(), object.size());
                got = "ETag " + parts.etag();
            } else {
                staged = blobs.stage(in, Set.of(), object.size());
                got = "ETag " + HexFormat.of().formatHex(staged.md5());
            }
        }
        if (staged.size() != object.size() || !got.equals(expected)) {
            staged.discard();
            throw new IOException("the bytes from " + fetched.source() + " do not match the version: " + staged.size()
                    + " bytes with " + got + ", expected " + object.size() + " bytes with " + expected);
        }
        return staged;
    }
}
