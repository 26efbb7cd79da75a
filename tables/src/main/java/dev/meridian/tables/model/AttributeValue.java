package dev.meridian.tables.model;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One DynamoDB attribute value, of exactly one of DynamoDB's ten types. Values are immutable; collections inside
 * are unmodifiable and keep insertion order (maps and sets are {@link java.util.LinkedHashMap}/
 * {@link java.util.LinkedHashSet} copies). Binary values compare by content.
 */
public sealed interface AttributeValue {

    /** The DynamoDB type descriptor: S, N, B, BOOL, NULL, M, L, SS, NS or BS. */
    String type();

    record S(String value) implements AttributeValue {
        public String type() { return "S"; }
    }

    /** A number, kept canonical (see {@link Numbers#canonical}) so equal numbers are equal records. */
    record N(BigDecimal value) implements AttributeValue {
        public N {
            value = Numbers.canonical(value);
        }

        public static N of(String text) {
            return new N(Numbers.parse(text));
        }

        /** The number as DynamoDB prints it. */
        public String text() {
            return Numbers.format(value);
        }

        public String type() { return "N"; }
    }

    /** A binary value. The array is never mutated after construction. */
    record B(byte[] value) implements AttributeValue {
        public String type() { return "B"; }

        @Override
        public boolean equals(Object o) {
            return o instanceof B other && Arrays.equals(value, other.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "B[" + Base64.getEncoder().encodeToString(value) + "]";
        }
    }

    record Bool(boolean value) implements AttributeValue {
        public String type() { return "BOOL"; }
    }

    record Null() implements AttributeValue {
        public String type() { return "NULL"; }
    }

    record M(Map<String, AttributeValue> value) implements AttributeValue {
        public M {
            value = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(value));
        }

        public String type() { return "M"; }
    }

    record L(List<AttributeValue> value) implements AttributeValue {
        public L {
            value = List.copyOf(value);
        }

        public String type() { return "L"; }
    }

    record SS(Set<String> value) implements AttributeValue {
        public SS {
            value = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(value));
        }

        public String type() { return "SS"; }
    }

    /** A number set; members are canonical, so numerically equal members collapse. */
    record NS(Set<BigDecimal> value) implements AttributeValue {
        public NS {
            var canonical = new java.util.LinkedHashSet<BigDecimal>();
            for (BigDecimal n : value) {
                canonical.add(Numbers.canonical(n));
            }
            value = java.util.Collections.unmodifiableSet(canonical);
        }

        public String type() { return "NS"; }
    }

    /** A binary set; members compare by content. */
    record BS(Set<Bytes> value) implements AttributeValue {
        public BS {
            value = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(value));
        }

        public String type() { return "BS"; }
    }
}
