package dev.meridian.fabric;

import dev.meridian.fabric.replication.LocalLog;
import dev.meridian.fabric.replication.SnapshotEntries;
import dev.meridian.fabric.store.RegionStore;
import dev.meridian.fabric.store.StateIterator;
import dev.meridian.fabric.wire.Entry;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.OptionalLong;
import java.util.stream.StreamSupport;

/** This region's change log as kept in its {@link RegionStore}, read by the peer senders. */
final class StoreLog implements LocalLog {
    private final RegionStore store;
    private final CommitPipeline pipeline;
    private final String region;

    StoreLog(RegionStore store, CommitPipeline pipeline, String region) {
        this.store = store;
        this.pipeline = pipeline;
        this.region = region;
    }

    @Override
    public long head() {
        return pipeline.head();
    }

    @Override
    public long firstSeq() {
        return store.firstLogSeq();
    }

    @Override
    public List<Entry> read(long fromSeq, int max, long maxBytes) {
        List<byte[]> raw = store.readLog(fromSeq, max, maxBytes);
        var entries = new ArrayList<Entry>(raw.size());
        for (byte[] bytes : raw) {
            Entry.Builder entry = builder(bytes);
            entries.add(entry.setCommittedAtMillis(pipeline.durableAt(entry.getSeq())).build());
        }
        return entries;
    }

    @Override
    public OptionalLong timestampOf(long seq) {
        List<Entry> entries = read(seq, 1, Long.MAX_VALUE);
        return entries.isEmpty() || entries.get(0).getSeq() != seq
                ? OptionalLong.empty()
                : OptionalLong.of(entries.get(0).getTimestamp());
    }

    @Override
    public void awaitHeadAbove(long seq, long millis) throws InterruptedException {
        pipeline.awaitHeadAbove(seq, millis);
    }

    @Override
    public Snapshot snapshot() {
        RegionStore.PointInTime pointInTime = store.pointInTime();
        StateIterator states = pointInTime.states();
        return new Snapshot() {
            @Override
            public long head() {
                return pointInTime.head();
            }

            @Override
            public Iterator<Entry> entries() {
                return ownWrites(states, region);
            }

            @Override
            public void close() {
                states.close();
                pointInTime.close();
            }
        };
    }

    private static Entry.Builder builder(byte[] bytes) {
        try {
            return Entry.newBuilder().mergeFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt change-log entry", e);
        }
    }

    /** The states whose current version this region wrote, tombstones included, as sequence-less entries. */
    private static Iterator<Entry> ownWrites(StateIterator states, String region) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(states, Spliterator.ORDERED), false)
                .filter(state -> state.value().version().region().equals(region))
                .map(SnapshotEntries::of)
                .iterator();
    }
}
