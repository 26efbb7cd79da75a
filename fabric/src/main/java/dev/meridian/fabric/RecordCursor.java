package dev.meridian.fabric;

import dev.meridian.fabric.store.StateIterator;
import dev.meridian.fabric.store.StateKey;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** Live records of one keyspace in key order (tombstones skipped). Close it to release the storage iterator. */
public final class RecordCursor implements Iterator<Record>, AutoCloseable {
    private final StateIterator states;
    private Record next;

    RecordCursor(StateIterator states) {
        this.states = states;
        advance();
    }

    private void advance() {
        next = null;
        while (states.hasNext()) {
            StateIterator.Entry entry = states.next();
            if (!entry.value().tombstone()) {
                next = new Record(StateKey.key(entry.stateKey()), entry.value().value(), entry.value().version());
                return;
            }
        }
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public Record next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        Record current = next;
        advance();
        return current;
    }

    @Override
    public void close() {
        states.close();
    }
}
