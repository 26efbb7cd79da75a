package dev.meridian.fabric.replication;

import com.google.protobuf.ByteString;
import dev.meridian.fabric.store.StateIterator;
import dev.meridian.fabric.store.StateKey;
import dev.meridian.fabric.wire.Entry;

/**
 * A stored state as a sequence-less entry (seq 0): merged last-writer-wins by the receiver without moving any
 * watermark. Snapshots and anti-entropy repairs ship states this way.
 */
public final class SnapshotEntries {
    private SnapshotEntries() {}

    public static Entry of(StateIterator.Entry state) {
        return Entry.newBuilder()
                .setKeyspace(StateKey.keyspace(state.stateKey()))
                .setKey(ByteString.copyFrom(StateKey.key(state.stateKey())))
                .setTimestamp(state.value().version().timestamp())
                .setOrigin(state.value().version().region())
                .setTombstone(state.value().tombstone())
                .setValue(ByteString.copyFrom(state.value().value()))
                .build();
    }
}
