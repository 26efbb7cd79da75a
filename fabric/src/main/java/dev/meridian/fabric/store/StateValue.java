package dev.meridian.fabric.store;

import dev.meridian.core.Version;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A key's stored state: the version that wrote it, whether it is a tombstone, and the layer's value bytes.
 * Encoded as {@code timestamp(8) | regionLength(1) | region | tombstone(1) | value}.
 */
public record StateValue(Version version, boolean tombstone, byte[] value) {
    private static final byte[] EMPTY = new byte[0];

    public static StateValue tombstone(Version version) {
        return new StateValue(version, true, EMPTY);
    }

    public byte[] encode() {
        byte[] region = version.region().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + 1 + region.length + 1 + value.length)
                .putLong(version.timestamp())
                .put((byte) region.length)
                .put(region)
                .put((byte) (tombstone ? 1 : 0))
                .put(value)
                .array();
    }

    public static StateValue decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long timestamp = buffer.getLong();
        byte[] region = new byte[buffer.get() & 0xff];
        buffer.get(region);
        boolean tombstone = buffer.get() == 1;
        byte[] value = new byte[buffer.remaining()];
        buffer.get(value);
        return new StateValue(new Version(timestamp, new String(region, StandardCharsets.UTF_8)), tombstone, value);
    }
}
