package dev.meridian.fabric.store;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.rocksdb.RocksIterator;

/** Walks state entries between two state keys, forwards or backwards; close it to free the native iterator. */
public final class StateIterator implements Iterator<StateIterator.Entry>, AutoCloseable {
    /** One stored state with its full state key. */
    public record Entry(byte[] stateKey, StateValue value) {}

    private final RocksIterator it;
    private final byte[] from;
    private final byte[] to;
    private final boolean reverse;
    private Entry next;

    StateIterator(RocksIterator it, byte[] from, byte[] to, boolean reverse) {
        this.it = it;
        this.from = from;
        this.to = to;
        this.reverse = reverse;
        if (!reverse) {
            if (from == null) {
                it.seekToFirst();
            } else {
                it.seek(from);
            }
        } else if (to == null) {
            it.seekToLast();
        } else {
            it.seekForPrev(to);
            if (it.isValid() && Arrays.compareUnsigned(it.key(), to) >= 0) {
                it.prev();
            }
        }
        advance();
    }

    private void advance() {
        next = null;
        if (!it.isValid()) {
            return;
        }
        byte[] key = it.key();
        if (to != null && Arrays.compareUnsigned(key, to) >= 0 || from != null && Arrays.compareUnsigned(key, from) < 0) {
            return;
        }
        next = new Entry(key, StateValue.decode(it.value()));
        if (reverse) {
            it.prev();
        } else {
            it.next();
        }
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public Entry next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        Entry current = next;
        advance();
        return current;
    }

    @Override
    public void close() {
        it.close();
    }
}
