package dev.meridian.objects.replication;

import static dev.meridian.objects.replication.ReplicatingRegions.bytesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meridian.objects.Bucket;
import dev.meridian.objects.ObjectStore;
import dev.meridian.objects.ReplicationStatus;
import dev.meridian.objects.StoredVersion;
import dev.meridian.objects.blob.StagedBlob;
import dev.meridian.objects.multipart.Part;
import dev.meridian.objects.multipart.Upload;
import dev.meridian.objects.s3.S3Error;
import dev.meridian.objects.s3.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three regions in one JVM, replicating over real sockets (opened once: a fabric takes seconds to stop). region-c
 * cannot reach region-a directly; region-a's blob service misbehaves on command for chosen objects. Each test uses
 * its own bucket, replicating to the regions it names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectReplicationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PENDING_OPS = "meridian.objects.replication.pending.operations";
    private static final String PENDING_BYTES = "meridian.objects.replication.pending.bytes";
    /** Quick retries and collection, so failures and garbage show within a test. */
    private static final ReplicationSettings SETTINGS =
            new ReplicationSettings(null, null, 2, Duration.ofMillis(300), Duration.ofSeconds(1));

    private final PeerFaults faultsOfA = new PeerFaults();
    private ReplicatingRegions regions;
    private ReplicatingRegions.Region a;
    private ReplicatingRegions.Region b;
    private ReplicatingRegions.Region c;

    @BeforeAll
    void openRegions(@TempDir Path dir) {
        regions = new ReplicatingRegions(dir, "region-a", "region-b", "region-c").cut("region-c", "region-a");
        a = regions.open("region-a", SETTINGS, faultsOfA::around);
        b = regions.open("region-b", SETTINGS);
        c = regions.open("region-c", SETTINGS);
    }

    @AfterAll
    void closeRegions() {
        regions.close();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private StoredVersion arrivedIn(ReplicatingRegions.Region region, StoredVersion written) {
        await().atMost(WAIT).until(() -> region.find(written).isPresent());
        return region.find(written).orElseThrow();
    }

    @Test
    void copyLandsWithIdenticalBytesWhileStatusGoesFromPendingToCompleted() {
        a.createBucket("pending", List.of("region-a", "region-b"));
        faultsOfA.holdCopies("pending", "cat.jpg");
        byte[] bytes = randomBytes(300_000, 1);

        StoredVersion written = a.put("pending", "cat.jpg", bytes);

        assertThat(a.replication().status(written)).isEqualTo(ReplicationStatus.PENDING);
        await().atMost(WAIT).until(() -> a.gauge(PENDING_OPS, "pending", "region-b") == 1
                && a.gauge(PENDING_BYTES, "pending", "region-b") == bytes.length);
        assertThat(b.replication().status(arrivedIn(b, written))).isEqualTo(ReplicationStatus.REPLICA);
        assertThat(b.blob(written.object().blobId())).as("held back").isEmpty();

        faultsOfA.heal("pending", "cat.jpg");

        await().atMost(WAIT).until(() -> b.holds(written, bytes));
        await().atMost(WAIT).until(() -> a.replication().status(written) == ReplicationStatus.COMPLETED);
        await().atMost(WAIT).until(() -> a.gauge(PENDING_OPS, "pending", "region-b") == 0);
        assertThat(a.gauge(PENDING_BYTES, "pending", "region-b")).isZero();
        assertThat(a.meters.get("meridian.objects.replication.latency").tags("bucket", "pending").timer().count())
                .isEqualTo(1);
        assertThat(a.replication().backlog()).filteredOn(entry -> entry.bucket().equals("pending"))
                .singleElement().satisfies(entry -> {
                    assertThat(entry.destination()).isEqualTo("region-b");
                    assertThat(entry.pendingOperations()).isZero();
                    assertThat(entry.latencyP99Millis()).isGreaterThan(0);
                });
        assertThat(b.replication().delays().takeInterval().get("region-a").getTotalCount()).isPositive();
        assertThat(c.blob(written.object().blobId())).as("not a destination of the bucket").isEmpty();
    }

    @Test
    void readFallbackStreamsARangeFromTheOriginBeforeTheCopyLands() {
        a.createBucket("fallback", List.of("region-a", "region-b"));
        faultsOfA.holdCopies("fallback", "dog.jpg");
        byte[] bytes = randomBytes(400_000, 2);
        StoredVersion replica = arrivedIn(b, a.put("fallback", "dog.jpg", bytes));

        byte[] range = bytesOf(b.replication().readRemote(replica, 1000, 300_000).join());

        assertThat(range).isEqualTo(Arrays.copyOfRange(bytes, 1000, 301_000));
        assertThat(bytesOf(b.replication().readRemote(replica, 5, 0).join())).isEmpty();
        assertThat(b.blob(replica.object().blobId())).as("the copy is still held back").isEmpty();
        faultsOfA.heal("fallback", "dog.jpg");
        await().atMost(WAIT).until(() -> b.holds(replica, bytes));
    }

    @Test
    void readFallbackIsServiceUnavailableWhenNoRegionHoldingTheBytesIsReachable() {
        a.createBucket("unreachable", List.of("region-a", "region-b"));
        faultsOfA.hide("unreachable", "fish.jpg");
        StoredVersion replica = arrivedIn(b, a.put("unreachable", "fish.jpg", randomBytes(1000, 3)));

        assertThatThrownBy(() -> b.replication().readRemote(replica, 0, 10).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.error()).isEqualTo(S3Error.SERVICE_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("have not reached region-b yet");
                });
        faultsOfA.heal("unreachable", "fish.jpg");
    }

    @Test
    void multipartObjectIsVerifiedByItsMultipartEtag() {
        Bucket bucket = a.createBucket("videos", List.of("region-a", "region-b"));
        byte[] first = randomBytes((int) ObjectStore.MIN_PART_BYTES, 4);
        byte[] second = randomBytes(100_000, 5);
        Upload upload = a.store.uploads().create(new Upload("", "videos", "clip.mp4", 0, Map.of(), Map.of(), "", false));
        var parts = List.of(uploadPart(upload, 1, first), uploadPart(upload, 2, second));

        StoredVersion written = a.store.complete(bucket, upload, parts, Optional.empty());

        byte[] whole = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, whole, first.length, second.length);
        assertThat(written.object().etag()).endsWith("-2");
        assertThat(written.object().blobCrc32c()).as("joined parts have no CRC32C of the whole").isNull();
        await().atMost(WAIT).until(() -> b.holds(written, whole));
        await().atMost(WAIT).until(() -> a.replication().status(written) == ReplicationStatus.COMPLETED);
    }

    private ObjectStore.RequestedPart uploadPart(Upload upload, int number, byte[] bytes) {
        try {
            StagedBlob staged = a.store.blobs().stage(new ByteArrayInputStream(bytes), Set.of(), bytes.length);
            String etag = HexFormat.of().formatHex(staged.md5());
            a.store.uploads().putPart(upload, number, staged, new Part(number, bytes.length, etag, 0, Map.of()));
            return new ObjectStore.RequestedPart(number, etag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void corruptedBytesAreRefusedAndRetriedAndReportedFailedUntilACopySucceeds() {
        a.createBucket("corrupt", List.of("region-a", "region-b"));
        faultsOfA.corrupt("corrupt", "bird.jpg");
        byte[] bytes = randomBytes(64 * 1024, 6);

        StoredVersion written = a.put("corrupt", "bird.jpg", bytes);
        assertThat(written.object().blobCrc32c()).as("copies are checked against the origin's CRC32C").isNotNull();

        await().atMost(WAIT).until(() -> a.replication().status(written) == ReplicationStatus.FAILED);
        assertThat(faultsOfA.corrupted()).isGreaterThanOrEqualTo(SETTINGS.maxAttempts());
        assertThat(b.blob(written.object().blobId())).as("wrong bytes are never committed").isEmpty();

        faultsOfA.heal("corrupt", "bird.jpg");

        await().atMost(WAIT).until(() -> b.holds(written, bytes));
        await().atMost(WAIT).until(() -> a.replication().status(written) == ReplicationStatus.COMPLETED);
    }

    @Test
    void bytesTravelThroughAThirdRegionWhenTheDirectLinkIsCut() {
        a.createBucket("records", List.of("region-a", "region-c"));
        byte[] bytes = randomBytes(200_000, 7);

        StoredVersion written = a.put("records", "ledger.csv", bytes);

        await().atMost(WAIT).until(() -> c.holds(written, bytes));
        assertThat(bytesOf(c.replication().readRemote(c.find(written).orElseThrow(), 10, 100).join()))
                .isEqualTo(Arrays.copyOfRange(bytes, 10, 110));
        assertThat(b.blob(written.object().blobId())).as("region-b relays, it is no destination").isEmpty();
    }

    @Test
    void startResumesCopiesOwedFromWhileReplicationWasStopped() {
        a.createBucket("resume", List.of("region-a", "region-b"));
        b.stopReplication();
        byte[] bytes = randomBytes(10_000, 8);
        StoredVersion written = a.put("resume", "owl.jpg", bytes);
        StoredVersion empty = a.put("resume", "empty", new byte[0]);
        arrivedIn(b, written);
        arrivedIn(b, empty);
        assertThat(b.blob(written.object().blobId())).isEmpty();

        b.startReplication();

        await().atMost(WAIT).until(() -> b.holds(written, bytes) && b.holds(empty, new byte[0]));
    }

    @Test
    void overwrittenBytesAreCollectedOnlyAfterTheGracePeriod() {
        a.createBucket("overwrite", List.of("region-a", "region-b"));
        byte[] before = randomBytes(5000, 9);
        byte[] after = randomBytes(6000, 10);
        StoredVersion first = a.put("overwrite", "cat.jpg", before);
        await().atMost(WAIT).until(() -> b.holds(first, before));
        String firstBlob = first.object().blobId();

        StoredVersion second = a.put("overwrite", "cat.jpg", after);

        assertThat(a.blob(firstBlob)).as("within the grace period").isPresent();
        var ledgerOfB = new CopyLedger(b.fabric);
        await().atMost(WAIT).until(() -> a.blob(firstBlob).isEmpty() && b.blob(firstBlob).isEmpty()
                && ledgerOfB.record(firstBlob, "region-b").isEmpty());
        assertThat(a.holds(second, after)).isTrue();
        await().atMost(WAIT).until(() -> b.holds(second, after));
    }
}
