package dev.meridian.objects.replication;

import dev.meridian.fabric.Fabric;
import dev.meridian.fabric.Record;
import dev.meridian.fabric.RecordCursor;
import dev.meridian.fabric.ReplicationDelays;
import dev.meridian.objects.BucketCatalog;
import dev.meridian.objects.Json;
import dev.meridian.objects.ObjectCatalog;
import dev.meridian.objects.ObjectKeys;
import dev.meridian.objects.ObjectVersion;
import dev.meridian.objects.StoredVersion;
import dev.meridian.objects.blob.BlobStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns fabric changes into replication work on the replication thread (the fabric's apply thread, which reports
 * them, must never block): a changed version slot queues the copy this region owes (or, for bytes that rode in the
 * record, notes how long they took to arrive), updates what this region's own writes owe the others, and has
 * superseded bytes collected; a copy record settles what it paid; a bucket that
 * arrives after some of its versions has those looked at again.
 */
final class VersionChanges {
    private static final Logger log = LoggerFactory.getLogger(VersionChanges.class);

    private final String region;
    private final ObjectCatalog catalog;
    private final BlobStore blobs;
    private final ReplicationTopology topology;
    private final CopyLedger ledger;
    private final CopyQueue queue;
    private final BlobCopier copier;
    private final OutgoingBacklog backlog;
    private final BlobCollector collector;
    private final InlineAcknowledgements inline;
    private final ReplicationDelays delays;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    /** Slots whose bucket this region has not seen yet, by bucket; replication thread only. */
    private final Map<String, Set<ObjectKeys.Slot>> awaitingBucket = new HashMap<>();

    VersionChanges(String region, ObjectCatalog catalog, BlobStore blobs, ReplicationTopology topology,
            CopyLedger ledger, CopyQueue queue, BlobCopier copier, OutgoingBacklog backlog, BlobCollector collector,
            InlineAcknowledgements inline, ReplicationDelays delays, Clock clock, ScheduledExecutorService thread) {
        this.region = region;
        this.catalog = catalog;
        this.blobs = blobs;
        this.topology = topology;
        this.ledger = ledger;
        this.queue = queue;
        this.copier = copier;
        this.backlog = backlog;
        this.collector = collector;
        this.inline = inline;
        this.delays = delays;
        this.clock = clock;
        this.thread = thread;
    }

    /** Follows every change from now on, and first goes through every version stored, to resume after a stop. */
    void start(Fabric fabric) {
        catalog.watch(slot -> {
            inline.changed(slot);
            slotChanged(slot);
        });
        fabric.watch(BucketCatalog.KEYSPACE,
                key -> submit(() -> bucketChanged(new String(key, StandardCharsets.UTF_8))));
        ledger.watch((blobId, destination) -> submit(() -> copyRecorded(blobId, destination)));
        submit(() -> scanAll(fabric));
    }

    /** Looks at {@code slot} again, on the replication thread. */
    void slotChanged(ObjectKeys.Slot slot) {
        long seenMillis = clock.millis();
        submit(() -> {
            Optional<StoredVersion> current = catalog.slot(slot);
            current.filter(this::arrivedWithItsBytes).ifPresent(version -> delays.record(version.object().origin(),
                    (seenMillis - CopyLedger.committedMillis(version)) * 1000));
            evaluate(slot, current, false);
        });
    }

    /** A version from another region whose bytes rode in its record: they landed when the record did. */
    private boolean arrivedWithItsBytes(StoredVersion version) {
        return version.object().hasInlineBytes() && !version.object().origin().equals(region);
    }

    private void scanAll(Fabric fabric) {
        int versions = 0;
        try (RecordCursor cursor = fabric.scan(ObjectKeys.KEYSPACE, null, null, false)) {
            while (cursor.hasNext()) {
                Record record = cursor.next();
                ObjectKeys.Slot slot = ObjectKeys.parse(record.key());
                var version = new StoredVersion(slot.bucket(), slot.key(),
                        Json.decode(record.value(), ObjectVersion.class), record.version());
                evaluate(slot, Optional.of(version), true);
                versions++;
            }
        }
        log.info("event=object_replication_resumed region={} versions={} copies_queued={}", region, versions,
                queue.size());
    }

    /**
     * {@code slot} now holds {@code current}. When {@code resuming} (the start-up scan), also records copies a crash
     * left committed but unrecorded; superseded bytes are only collected as changes happen.
     */
    private void evaluate(ObjectKeys.Slot slot, Optional<StoredVersion> current, boolean resuming) {
        if (current.isPresent() && topology.destinations(current.get()).isEmpty()) {
            awaitingBucket.computeIfAbsent(slot.bucket(), b -> new HashSet<>()).add(slot);
            return;
        }
        current.filter(copier::missing).ifPresent(version -> queue.offer(slot));
        if (resuming) {
            current.filter(this::heldButUnrecorded)
                    .ifPresent(v -> ledger.completed(v, blobs.modifiedMillis(v.object().blobId())));
        } else {
            collector.slotChanged(slot, current);
        }
        backlog.track(slot, current);
    }

    private boolean heldButUnrecorded(StoredVersion version) {
        String blobId = version.object().blobId();
        return !version.object().hasInlineBytes() && topology.shouldHold(version) && blobs.has(blobId)
                && !ledger.record(blobId, region).map(CopyRecord::completed).orElse(false);
    }

    private void bucketChanged(String bucket) {
        Set<ObjectKeys.Slot> waiting = awaitingBucket.remove(bucket);
        if (waiting != null) {
            waiting.forEach(slot -> evaluate(slot, catalog.slot(slot), false));
        }
    }

    private void copyRecorded(String blobId, String destination) {
        if (!destination.equals(region)) {
            ledger.record(blobId, destination).filter(CopyRecord::completed)
                    .ifPresent(record -> backlog.landed(blobId, destination, record));
        }
    }

    private void submit(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("event=object_replication_change_failed region={} error=\"{}\"", region,
                            e.getMessage(), e);
                }
            });
        } catch (RejectedExecutionException stopping) {
            // the region is stopping; the start-up scan of the next run catches up
        }
    }
}
