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
        try (WriteBatch batch = new WriteBatch()) {
            for (PeerSender sender : senders) {
                store.putCounter(batch, ackedName(sender.peer()), sender.acked());
            }
            store.writeDurably(batch);
        }
    }
}
