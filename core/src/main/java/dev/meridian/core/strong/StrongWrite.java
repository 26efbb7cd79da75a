package dev.meridian.core.strong;

import java.util.Objects;

/**
 * One write proposed to the strong log: a compare-and-set on a key, made only if no agreed write touched the key
 * after {@code readIndex}, the position of the log the proposer had applied when it read the key and decided.
 *
 * @param keyspace the fabric keyspace of the key
 * @param key the key within the keyspace
 * @param value the new value, or null to delete the key (a tombstone)
 * @param readIndex the last log index the proposer had applied when it read the key
 * @param timestamp the proposer's hybrid-clock timestamp; the agreed version's is at least this, and above the
 *     key's previous agreed version
 * @param region the proposing region, the agreed version's region
 */
public record StrongWrite(String keyspace, byte[] key, byte[] value, long readIndex, long timestamp, String region) {
    public StrongWrite {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(region, "region");
    }

    public boolean isDelete() {
        return value == null;
    }
}
