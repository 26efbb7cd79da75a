package dev.meridian.fabric;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/** Striped locks that serialize local read-modify-write of the same key while different keys proceed in parallel. */
final class KeyLocks {
    private final ReentrantLock[] stripes;

    KeyLocks(int count) {
        stripes = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * Locks the stripes of every key, each once and in ascending stripe order, so two callers locking overlapping
     * sets cannot deadlock. Returns what {@link #unlockAll} releases.
     */
    List<ReentrantLock> lockAll(List<byte[]> stateKeys) {
        List<ReentrantLock> held = stateKeys.stream()
                .mapToInt(this::stripe)
                .distinct()
                .sorted()
                .mapToObj(i -> stripes[i])
                .toList();
        held.forEach(ReentrantLock::lock);
        return held;
    }

    static void unlockAll(List<ReentrantLock> held) {
        for (int i = held.size() - 1; i >= 0; i--) {
            held.get(i).unlock();
        }
    }

    private int stripe(byte[] stateKey) {
        return Math.floorMod(Arrays.hashCode(stateKey), stripes.length);
    }
}
