package dev.meridian.tables.expr;

import dev.meridian.tables.model.AttributeValue;
import dev.meridian.tables.model.Bytes;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The parsed form of a condition (or filter or key condition) expression, evaluated against one item. */
sealed interface Condition {

    /** Whether the condition holds for {@code item}; an empty item stands for "no item". */
    boolean test(Map<String, AttributeValue> item);

    record Compare(CompareOp op, Operand left, Operand right) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            return op.test(left.evaluate(item).orElse(null), right.evaluate(item).orElse(null));
        }
    }

    record Between(Operand subject, Operand low, Operand high) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue value = subject.evaluate(item).orElse(null);
            return CompareOp.GE.test(value, low.evaluate(item).orElse(null))
                    && CompareOp.LE.test(value, high.evaluate(item).orElse(null));
        }
    }

    record In(Operand subject, List<Operand> candidates) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue value = subject.evaluate(item).orElse(null);
            return candidates.stream().anyMatch(c -> CompareOp.EQ.test(value, c.evaluate(item).orElse(null)));
        }
    }

    record And(Condition left, Condition right) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            return left.test(item) && right.test(item);
        }
    }

    record Or(Condition left, Condition right) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            return left.test(item) || right.test(item);
        }
    }

    record Not(Condition condition) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            return !condition.test(item);
        }
    }

    /** {@code attribute_exists(path)} when {@code expected}, else {@code attribute_not_exists(path)}. */
    record Exists(DocumentPath path, boolean expected) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            return DocumentTree.get(item, path).isPresent() == expected;
        }
    }

    /** {@code attribute_type(path, :type)}, with the type descriptor already checked (S, N, B, BOOL, NULL, M, L, SS, NS, BS). */
    record HasType(DocumentPath path, String type) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            return DocumentTree.get(item, path).map(v -> v.type().equals(type)).orElse(false);
        }
    }

    /** {@code begins_with(subject, prefix)} for two strings or two binaries. */
    record BeginsWith(Operand subject, Operand prefix) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            return holds(subject.evaluate(item).orElse(null), prefix.evaluate(item).orElse(null));
        }

        static boolean holds(AttributeValue value, AttributeValue prefix) {
            if (value instanceof AttributeValue.S s && prefix instanceof AttributeValue.S p) {
                return s.value().startsWith(p.value());
            }
            if (value instanceof AttributeValue.B b && prefix instanceof AttributeValue.B p) {
                return b.value().length >= p.value().length
                        && Arrays.equals(b.value(), 0, p.value().length, p.value(), 0, p.value().length);
            }
            return false;
        }
    }

    /** {@code contains(subject, member)}: a substring of a string, or a member of a set or list. */
    record Contains(Operand subject, Operand member) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue value = subject.evaluate(item).orElse(null);
            AttributeValue wanted = member.evaluate(item).orElse(null);
            if (value instanceof AttributeValue.L list) {
                return list.value().contains(wanted);
            }
            if (value instanceof AttributeValue.S s && wanted instanceof AttributeValue.S w) {
                return s.value().contains(w.value());
            }
            if (value instanceof AttributeValue.SS set && wanted instanceof AttributeValue.S w) {
                return set.value().contains(w.value());
            }
            if (value instanceof AttributeValue.NS set && wanted instanceof AttributeValue.N w) {
                return set.value().contains(w.value());
            }
            return value instanceof AttributeValue.BS set && wanted instanceof AttributeValue.B w
                    && set.value().contains(new Bytes(w.value()));
        }
    }
}
