package dev.meridian.fabric.antientropy;

import dev.meridian.fabric.store.StateIterator;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Iterator;

/**
 * A digest of a region's whole state (every keyspace, tombstones included), as a three-level tree: 1,024 leaves,
 * each the hash range of state keys whose SHA-256 starts with its 10 bits; 32 branches of 32 leaves; one root. Two
 * regions with the same state have the same tree whatever order they wrote it in, so comparing from the root down
 * finds the few ranges that differ in three round trips.
 */
public final class MerkleTree {
    public static final int LEAVES = 1024;
    public static final int BRANCHES = 32;
    static final int LEAVES_PER_BRANCH = LEAVES / BRANCHES;
    private static final int HASH_BYTES = 16;

    /** Per leaf, the XOR of its entries' hashes: independent of the order entries are added in. */
    private final long[][] leaves = new long[LEAVES][2];
    private final byte[][] branches = new byte[BRANCHES][];
    private final byte[] root;

    private MerkleTree(Iterator<StateIterator.Entry> states) {
        MessageDigest sha = sha256();
        while (states.hasNext()) {
            StateIterator.Entry state = states.next();
            sha.update(state.stateKey());
            sha.update(state.value().encode());
            ByteBuffer hash = ByteBuffer.wrap(sha.digest());
            long[] leaf = leaves[leafOf(state.stateKey())];
            leaf[0] ^= hash.getLong();
            leaf[1] ^= hash.getLong();
        }
        for (int branch = 0; branch < BRANCHES; branch++) {
            for (int leaf = branch * LEAVES_PER_BRANCH; leaf < (branch + 1) * LEAVES_PER_BRANCH; leaf++) {
                sha.update(leaf(leaf));
            }
            branches[branch] = Arrays.copyOf(sha.digest(), HASH_BYTES);
        }
        for (byte[] branch : branches) {
            sha.update(branch);
        }
        root = Arrays.copyOf(sha.digest(), HASH_BYTES);
    }

    /** The tree of these states (all of a region's, in any order). */
    public static MerkleTree of(Iterator<StateIterator.Entry> states) {
        return new MerkleTree(states);
    }

    /** The node's hash: level 0 is the root (index 0), 1 the branches, 2 the leaves. */
    public byte[] hash(int level, int index) {
        return switch (level) {
            case 0 -> root.clone();
            case 1 -> branches[index].clone();
            case 2 -> leaf(index);
            default -> throw new IllegalArgumentException("a tree has levels 0 to 2, not " + level);
        };
    }

    /** The leaf a state key belongs to. */
    public static int leafOf(byte[] stateKey) {
        byte[] hash = sha256().digest(stateKey);
        return ((hash[0] & 0xff) << 2 | (hash[1] & 0xff) >>> 6) % LEAVES;
    }

    private byte[] leaf(int index) {
        return ByteBuffer.allocate(HASH_BYTES).putLong(leaves[index][0]).putLong(leaves[index][1]).array();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
