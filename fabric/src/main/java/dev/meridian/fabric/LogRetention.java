package dev.meridian.fabric;

import dev.meridian.fabric.replication.PeerSender;
import dev.meridian.fabric.store.RegionStore;
import java.util.List;
import org.rocksdb.WriteBatch;

/**
 * Drops change-log entries no peer needs: everything every peer has acknowledged. When the log would still hold
 * more than the configured bound, it keeps only the newest entries and marks the peers that needed the dropped
 * ones as beyond retention (they are re-synced from a snapshot). Also persists each peer's acknowledged position,
 * so a restarted region does not drop what a peer still needs before that peer reconnects.
 */
final class LogRetention {
    private final RegionStore store;
    private final CommitPipeline pipeline;
    private final List<PeerSender> senders;
    private final long maxEntries;
    /** What was last persisted per peer; touched only by the retention thread. */
    private final java.util.Map<String, Long> persistedAcks = new java.util.HashMap<>();

    LogRetention(RegionStore store, CommitPipeline pipeline, List<PeerSender> senders, long maxEntries) {
        this.store = store;
        this.pipeline = pipeline;
        this.senders = senders;
        this.maxEntries = maxEntries;
    }

    static String ackedName(String peer) {
        return "acked/" + peer;
    }

    /** One pass; runs on the {@code fabric-retention} thread. */
    void run() {
        long head = pipeline.head();
        long keepFrom = head + 1;
        for (PeerSender sender : senders) {
            keepFrom = Math.min(keepFrom, sender.acked() + 1);
        }
        if (head - keepFrom + 1 > maxEntries) {
            keepFrom = head - maxEntries + 1;
            for (PeerSender sender : senders) {
                if (sender.acked() + 1 < keepFrom) {
                    sender.markBeyondRetention();
                }
            }
        }
        if (keepFrom > store.firstLogSeq()) {
            store.truncateLogBefore(keepFrom);
        }
        persistChangedAcks();
    }

    /** Writes (and fsyncs) the peers' acknowledged positions, only when one moved since the last pass. */
    private void persistChangedAcks() {
        var changed = new java.util.HashMap<String, Long>();
        for (PeerSender sender : senders) {
            long acked = sender.acked();
            if (!Long.valueOf(acked).equals(persistedAcks.get(sender.peer()))) {
                changed.put(sender.peer(), acked);
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        try (WriteBatch batch = new WriteBatch()) {
            changed.forEach((peer, acked) -> store.putCounter(batch, ackedName(peer), acked));
            store.writeDurably(batch);
        }
        persistedAcks.putAll(changed);
    }
}
