package dev.meridian.tables.expr;

import dev.meridian.tables.model.AttributeValue;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/** An operand of a condition: a document path, a {@code :value} placeholder, or {@code size(...)} of either. */
sealed interface Operand {

    /** The operand's value in {@code item}; empty when the path is missing or size() is undefined for its type. */
    Optional<AttributeValue> evaluate(Map<String, AttributeValue> item);

    record Path(DocumentPath path) implements Operand {
        public Optional<AttributeValue> evaluate(Map<String, AttributeValue> item) {
            return DocumentTree.get(item, path);
        }
    }

    record Value(String ref, AttributeValue value) implements Operand {
        public Optional<AttributeValue> evaluate(Map<String, AttributeValue> item) {
            return Optional.of(value);
        }
    }

    /** {@code size(operand)}: string length in UTF-16 units, binary length, or element count, as DynamoDB counts. */
    record Size(Operand of) implements Operand {
        public Optional<AttributeValue> evaluate(Map<String, AttributeValue> item) {
            return of.evaluate(item).flatMap(Size::sizeOf).map(n -> new AttributeValue.N(BigDecimal.valueOf(n)));
        }

        static Optional<Integer> sizeOf(AttributeValue value) {
            if (value instanceof AttributeValue.S s) {
                return Optional.of(s.value().length());
            }
            if (value instanceof AttributeValue.B b) {
                return Optional.of(b.value().length);
            }
            if (value instanceof AttributeValue.SS ss) {
                return Optional.of(ss.value().size());
            }
            if (value instanceof AttributeValue.NS ns) {
                return Optional.of(ns.value().size());
            }
            if (value instanceof AttributeValue.BS bs) {
                return Optional.of(bs.value().size());
            }
            if (value instanceof AttributeValue.L l) {
                return Optional.of(l.value().size());
            }
            if (value instanceof AttributeValue.M m) {
                return Optional.of(m.value().size());
            }
            return Optional.empty();
        }
    }
}
