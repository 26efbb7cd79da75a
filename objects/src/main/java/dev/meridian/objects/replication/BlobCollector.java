package dev.meridian.objects.replication;

import dev.meridian.objects.ObjectCatalog;
import dev.meridian.objects.ObjectKeys;
import dev.meridian.objects.StoredVersion;
import dev.meridian.objects.blob.BlobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the bytes a version slot no longer references (overwritten, permanently deleted, its bucket emptied), and
 * this region's ledger record of them. Bytes are deleted only once older than the grace period, so an upload about
 * to commit into the slot or a reader still streaming the old bytes is never cut short. Runs on the replication
 * thread, which owns its state.
 */
final class BlobCollector {
    private static final Logger log = LoggerFactory.getLogger(BlobCollector.class);

    private final ObjectCatalog catalog;
    private final BlobStore blobs;
    private final CopyLedger ledger;
    private final ScheduledExecutorService thread;
    private final long graceMillis;
    private final Clock clock;
    private final Set<ObjectKeys.Slot> scheduled = new HashSet<>();

    BlobCollector(ObjectCatalog catalog, BlobStore blobs, CopyLedger ledger, ScheduledExecutorService thread,
            Duration grace, Clock clock) {
        this.catalog = catalog;
        this.blobs = blobs;
        this.ledger = ledger;
        this.thread = thread;
        this.graceMillis = grace.toMillis();
        this.clock = clock;
    }

    /** {@code slot} now holds {@code current}: bytes it held before are collected a grace period from now. */
    void slotChanged(ObjectKeys.Slot slot, Optional<StoredVersion> current) {
        if (!scheduled.contains(slot) && !unreferenced(slot, current).isEmpty()) {
            schedule(slot, graceMillis);
        }
    }

    private void collect(ObjectKeys.Slot slot) {
        scheduled.remove(slot);
        long now = clock.millis();
        long wait = 0;
        for (String blobId : unreferenced(slot, catalog.slot(slot))) {
            long age = now - blobs.modifiedMillis(blobId);
            if (age >= graceMillis) {
                blobs.delete(blobId);
                ledger.forget(blobId);
                log.debug("event=object_blob_collected bucket={} key=\"{}\" blob={}", slot.bucket(), slot.key(), blobId);
            } else {
                wait = Math.max(wait, graceMillis - age);
            }
        }
        if (wait > 0) {
            schedule(slot, wait);
        }
    }

    private void schedule(ObjectKeys.Slot slot, long delayMillis) {
        scheduled.add(slot);
        thread.schedule(() -> {
            try {
                collect(slot);
            } catch (RuntimeException e) {
                log.warn("event=object_blob_collect_failed bucket={} key=\"{}\" error=\"{}\"", slot.bucket(), slot.key(),
                        e.getMessage(), e);
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    private List<String> unreferenced(ObjectKeys.Slot slot, Optional<StoredVersion> current) {
        String referenced = current.map(v -> v.object().blobId()).orElse("");
        String digest = BlobStore.slotDigest(ObjectKeys.slot(slot.bucket(), slot.key(), slot.versionSlot()));
        return blobs.blobsOfSlot(digest).stream().filter(id -> !id.equals(referenced)).toList();
    }
}
