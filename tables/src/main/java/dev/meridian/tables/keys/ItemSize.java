package dev.meridian.tables.keys;

import dev.meridian.tables.model.AttributeValue;
import dev.meridian.tables.model.Bytes;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Item and attribute sizes as DynamoDB counts them toward its 400 KB item limit and its capacity units. */
public final class ItemSize {
    public static final int MAX_ITEM_BYTES = 400 * 1024;
    /** Lists and maps cost three bytes whatever they hold, plus one byte per element. */
    private static final int CONTAINER_OVERHEAD = 3;

    private ItemSize() {}

    public static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8(e.getKey()) + of(e.getValue());
        }
        return size;
    }

    public static long of(AttributeValue value) {
        if (value instanceof AttributeValue.S s) {
            return utf8(s.value());
        }
        if (value instanceof AttributeValue.N n) {
            return number(n.value());
        }
        if (value instanceof AttributeValue.B b) {
            return b.value().length;
        }
        if (value instanceof AttributeValue.M m) {
            return CONTAINER_OVERHEAD + m.value().size() + of(m.value());
        }
        if (value instanceof AttributeValue.L l) {
            return CONTAINER_OVERHEAD + l.value().size() + l.value().stream().mapToLong(ItemSize::of).sum();
        }
        if (value instanceof AttributeValue.SS ss) {
            return ss.value().stream().mapToLong(ItemSize::utf8).sum();
        }
        if (value instanceof AttributeValue.NS ns) {
            return ns.value().stream().mapToLong(ItemSize::number).sum();
        }
        if (value instanceof AttributeValue.BS bs) {
            return bs.value().stream().map(Bytes::value).mapToLong(b -> b.length).sum();
        }
        return 1; // BOOL and NULL
    }

    /** One byte per two significant digits, plus one. */
    private static long number(BigDecimal n) {
        int digits = n.signum() == 0 ? 1 : n.stripTrailingZeros().precision();
        return (digits + 1) / 2 + 1;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
