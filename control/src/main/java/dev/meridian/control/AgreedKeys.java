package dev.meridian.control;

import dev.meridian.core.strong.StrongWrite;
import dev.meridian.core.strong.Verdict;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * For every key a strong write was agreed on, the log index and timestamp of its last one: what the compare-and-set
 * of the next write is decided against. Deterministic, so every member (the witness too) decides alike; owned by the
 * apply thread.
 */
final class AgreedKeys {
    /** The last agreed write of a key: its log index, and the timestamp of the version it wrote. */
    record Last(long index, long timestamp) {}

    /** A decided write: the verdict, and when accepted the timestamp its version carries. */
    record Decision(Verdict verdict, long timestamp) {}

    private final Map<ByteBuffer, Last> keys = new HashMap<>();

    /**
     * Accepts {@code write} at {@code index} unless its key was written after the proposer's read; an accepted
     * write's timestamp is above the key's previous one, so last-writer-wins keeps log order in every region.
     */
    Decision decide(StrongWrite write, long index) {
        ByteBuffer key = slot(write.keyspace(), write.key());
        Last last = keys.get(key);
        if (last != null && last.index() > write.readIndex()) {
            return new Decision(new Verdict(false, index, last.index()), 0);
        }
        long timestamp = last == null ? write.timestamp() : Math.max(write.timestamp(), last.timestamp() + 1);
        keys.put(key, new Last(index, timestamp));
        return new Decision(new Verdict(true, index, index), timestamp);
    }

    int size() {
        return keys.size();
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(keys.size());
        for (var entry : keys.entrySet()) {
            ByteBuffer key = entry.getKey().duplicate();
            out.writeInt(key.remaining());
            byte[] bytes = new byte[key.remaining()];
            key.get(bytes);
            out.write(bytes);
            out.writeLong(entry.getValue().index());
            out.writeLong(entry.getValue().timestamp());
        }
    }

    void readFrom(DataInput in) throws IOException {
        keys.clear();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            byte[] key = new byte[in.readInt()];
            in.readFully(key);
            keys.put(ByteBuffer.wrap(key), new Last(in.readLong(), in.readLong()));
        }
    }

    /** The keyspace and key as one map key: the keyspace's length, its bytes, then the key. */
    private static ByteBuffer slot(String keyspace, byte[] key) {
        byte[] space = keyspace.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + space.length + key.length).putInt(space.length).put(space).put(key).flip();
    }
}
