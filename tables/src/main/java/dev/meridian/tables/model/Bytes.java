package dev.meridian.tables.model;

import java.util.Arrays;

/** An immutable byte string that compares by content, for members of binary sets. */
public record Bytes(byte[] value) implements Comparable<Bytes> {
    public Bytes {
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes other && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    /** Unsigned byte order, as DynamoDB orders binary values. */
    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(value, other.value);
    }
}
