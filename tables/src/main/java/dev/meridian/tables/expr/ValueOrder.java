package dev.meridian.tables.expr;

import dev.meridian.tables.model.AttributeValue;
import java.util.Arrays;

/**
 * DynamoDB's ordering of scalar values of the same type: numbers numerically (exact decimals), strings by their UTF-8
 * bytes compared unsigned, binaries by unsigned bytes.
 */
public final class ValueOrder {
    private ValueOrder() {}

    /** Whether {@code a} and {@code b} are both N, both S or both B, the only pairs DynamoDB orders. */
    public static boolean orderable(AttributeValue a, AttributeValue b) {
        return (a instanceof AttributeValue.N && b instanceof AttributeValue.N)
                || (a instanceof AttributeValue.S && b instanceof AttributeValue.S)
                || (a instanceof AttributeValue.B && b instanceof AttributeValue.B);
    }

    /**
     * Compares two values of the same scalar type.
     *
     * @throws IllegalArgumentException when {@link #orderable} is false for the pair
     */
    public static int compare(AttributeValue a, AttributeValue b) {
        if (a instanceof AttributeValue.N x && b instanceof AttributeValue.N y) {
            return x.value().compareTo(y.value());
        }
        if (a instanceof AttributeValue.S x && b instanceof AttributeValue.S y) {
            return compareUtf8(x.value(), y.value());
        }
        if (a instanceof AttributeValue.B x && b instanceof AttributeValue.B y) {
            return Arrays.compareUnsigned(x.value(), y.value());
        }
        throw new IllegalArgumentException("DynamoDB does not order " + a.type() + " against " + b.type());
    }

    /** UTF-8 byte order equals code point order, so strings compare without being encoded. */
    private static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
