package dev.meridian.tables.expr;

import dev.meridian.tables.model.AttributeValue;
import dev.meridian.tables.model.Bytes;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Terse constructors of attribute values and items for expression tests. */
final class Values {
    private Values() {}

    static AttributeValue s(String value) {
        return new AttributeValue.S(value);
    }

    static AttributeValue n(String value) {
        return AttributeValue.N.of(value);
    }

    static AttributeValue b(String utf8) {
        return new AttributeValue.B(utf8.getBytes(StandardCharsets.UTF_8));
    }

    static AttributeValue bool(boolean value) {
        return new AttributeValue.Bool(value);
    }

    static AttributeValue list(AttributeValue... elements) {
        return new AttributeValue.L(List.of(elements));
    }

    static AttributeValue ss(String... members) {
        return new AttributeValue.SS(new LinkedHashSet<>(Arrays.asList(members)));
    }

    static AttributeValue ns(String... members) {
        return new AttributeValue.NS(Arrays.stream(members).map(BigDecimal::new).collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    static AttributeValue bs(String... utf8Members) {
        return new AttributeValue.BS(Arrays.stream(utf8Members).map(m -> new Bytes(m.getBytes(StandardCharsets.UTF_8)))
                .collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    /** A map value from alternating keys and values. */
    static AttributeValue map(Object... keysAndValues) {
        return new AttributeValue.M(item(keysAndValues));
    }

    /** An item from alternating attribute names and values. */
    static Map<String, AttributeValue> item(Object... keysAndValues) {
        var item = new LinkedHashMap<String, AttributeValue>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            item.put((String) keysAndValues[i], (AttributeValue) keysAndValues[i + 1]);
        }
        return item;
    }

    /** ExpressionAttributeValues from alternating placeholders and values, with no names. */
    static ExpressionAttributes values(Object... refsAndValues) {
        return new ExpressionAttributes(null, item(refsAndValues));
    }
}
