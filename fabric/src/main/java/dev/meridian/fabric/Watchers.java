package dev.meridian.fabric;

import dev.meridian.fabric.store.StateKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Tells layers which keys of their keyspaces changed, after each durable commit. */
final class Watchers {
    private final Map<String, List<Consumer<byte[]>>> byKeyspace = new ConcurrentHashMap<>();

    void add(String keyspace, Consumer<byte[]> listener) {
        byKeyspace.computeIfAbsent(keyspace, k -> new CopyOnWriteArrayList<>()).add(listener);
    }

    void changed(byte[] stateKey) {
        if (byKeyspace.isEmpty()) {
            return;
        }
        List<Consumer<byte[]>> listeners = byKeyspace.get(StateKey.keyspace(stateKey));
        if (listeners != null) {
            byte[] key = StateKey.key(stateKey);
            listeners.forEach(listener -> listener.accept(key));
        }
    }
}
