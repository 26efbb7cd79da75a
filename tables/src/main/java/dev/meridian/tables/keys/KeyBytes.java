package dev.meridian.tables.keys;

import dev.meridian.tables.model.AttributeValue;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes item keys so that unsigned byte order of the encoding is DynamoDB's order of the key: a partition part
 * with a two-byte length prefix (so one partition is one contiguous range), then the sort key (S as UTF-8, B raw, N
 * as an order-preserving decimal encoding).
 */
public final class KeyBytes {
    private static final int SIGN_NEGATIVE = 0x01;
    private static final int SIGN_ZERO = 0x02;
    private static final int SIGN_POSITIVE = 0x03;
    /** Shifts DynamoDB's exponent range (-129..126 for mantissas in [0.1, 1)) into one unsigned byte. */
    private static final int EXPONENT_BIAS = 129;

    private KeyBytes() {}

    /** The bytes of a key attribute value (S, N or B), ordered as DynamoDB orders values of that type. */
    public static byte[] value(AttributeValue value) {
        if (value instanceof AttributeValue.S s) {
            return s.value().getBytes(StandardCharsets.UTF_8);
        }
        if (value instanceof AttributeValue.B b) {
            return b.value();
        }
        if (value instanceof AttributeValue.N n) {
            return number(n.value());
        }
        throw new IllegalArgumentException("not a key type: " + value.type());
    }

    /** The prefix shared by every item of one partition. */
    public static byte[] partition(AttributeValue hash) {
        byte[] bytes = value(hash);
        byte[] prefix = new byte[bytes.length + 2];
        prefix[0] = (byte) (bytes.length >>> 8);
        prefix[1] = (byte) bytes.length;
        System.arraycopy(bytes, 0, prefix, 2, bytes.length);
        return prefix;
    }

    /** The storage key of an item: its partition prefix, then its sort key when the table has one. */
    public static byte[] item(AttributeValue hash, AttributeValue rangeOrNull) {
        byte[] partition = partition(hash);
        return rangeOrNull == null ? partition : concat(partition, value(rangeOrNull));
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    /** The smallest key greater than {@code key}: everything from here on sorts after it. */
    public static byte[] after(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    /** The smallest key greater than every key starting with {@code prefix}; null when there is none. */
    public static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }

    /**
     * Sign byte, then for non-zero numbers the exponent of the normalised mantissa (0.d1d2... x 10^e) and one byte
     * per digit plus a terminator. Negatives invert every byte after the sign so larger magnitudes sort first; the
     * terminator makes a shorter mantissa sort before a longer one it prefixes, before and after inversion.
     */
    static byte[] number(BigDecimal value) {
        if (value.signum() == 0) {
            return new byte[] {SIGN_ZERO};
        }
        BigDecimal magnitude = value.abs().stripTrailingZeros();
        String digits = magnitude.unscaledValue().toString();
        int exponent = digits.length() - magnitude.scale();
        var out = new ByteArrayOutputStream(digits.length() + 3);
        boolean negative = value.signum() < 0;
        out.write(negative ? SIGN_NEGATIVE : SIGN_POSITIVE);
        int mask = negative ? 0xFF : 0x00;
        out.write((exponent + EXPONENT_BIAS) ^ mask);
        for (int i = 0; i < digits.length(); i++) {
            out.write((digits.charAt(i) - '0' + 1) ^ mask);
        }
        out.write(mask);
        return out.toByteArray();
    }
}
