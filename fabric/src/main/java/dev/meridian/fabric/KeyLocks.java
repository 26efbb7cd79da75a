package dev.meridian.fabric;

import java.util.Arrays;
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

    ReentrantLock forKey(byte[] stateKey) {
        return stripes[Math.floorMod(Arrays.hashCode(stateKey), stripes.length)];
    }
}
