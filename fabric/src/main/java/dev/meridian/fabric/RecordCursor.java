package dev.meridian.fabric;

import dev.meridian.fabric.store.StateIterator;
import dev.meridian.fabric.store.StateKey;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.StreamSupport;

/** Live records of one keyspace in key order (tombstones skipped). Close it to release the storage iterator. */
public final class RecordCursor implements Iterator<Record>, AutoCloseable {
    private final StateIterator states;
    private final Iterator<Record> live;

    RecordCursor(StateIterator states) {
        this.states = states;
        this.live = StreamSupport.stream(Spliterators.spliteratorUnknownSize(states, Spliterator.ORDERED), false)
                .filter(entry -> !entry.value().tombstone())
                .map(entry -> new Record(StateKey.key(entry.stateKey()), entry.value().value(), entry.value().version()))
                .iterator();
    }

    @Override
    public boolean hasNext() {
        return live.hasNext();
    }

    @Override
    public Record next() {
        return live.next();
    }

    @Override
    public void close() {
        states.close();
    }
}
