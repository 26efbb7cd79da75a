package dev.meridian.fabric.antientropy;

import dev.meridian.fabric.store.RegionStore;
import dev.meridian.fabric.store.StateIterator;

/**
 * This region's Merkle tree, built by a full scan when a comparison begins and kept for a couple of seconds: the
 * peer comparing against it asks for three levels in a row, and they should describe one state.
 */
final class TreeCache {
    private static final long MAX_AGE_NANOS = 2_000_000_000L;

    private final RegionStore store;
    private MerkleTree tree;
    private long builtAt;

    TreeCache(RegionStore store) {
        this.store = store;
    }

    synchronized MerkleTree current() {
        if (tree == null || System.nanoTime() - builtAt > MAX_AGE_NANOS) {
            fresh();
        }
        return tree;
    }

    /** Rebuilds it now. */
    synchronized MerkleTree fresh() {
        try (StateIterator states = store.iterate(null, null, false)) {
            tree = MerkleTree.of(states);
        }
        builtAt = System.nanoTime();
        return tree;
    }
}
