package dev.meridian.tables.expr;

import dev.meridian.tables.TablesException;
import dev.meridian.tables.model.AttributeValue;
import dev.meridian.tables.model.Numbers;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** One action of an update expression: SET, REMOVE, ADD or DELETE at a document path. */
sealed interface UpdateAction {

    DocumentPath path();

    /**
     * Applies the action to {@code current}, reading operands from {@code original} (the item before any action ran).
     *
     * @return the new item; neither argument is modified
     */
    Map<String, AttributeValue> apply(Map<String, AttributeValue> original, Map<String, AttributeValue> current);

    record Put(DocumentPath path, SetValue value) implements UpdateAction {
        public Map<String, AttributeValue> apply(Map<String, AttributeValue> original, Map<String, AttributeValue> current) {
            AttributeValue computed = value.evaluate(original);
            return DocumentTree.update(current, path, old -> computed);
        }
    }

    record Remove(DocumentPath path) implements UpdateAction {
        public Map<String, AttributeValue> apply(Map<String, AttributeValue> original, Map<String, AttributeValue> current) {
            return DocumentTree.update(current, path, old -> null);
        }
    }

    /** Adds to a number, or adds members to a set; a missing attribute starts from the value itself. */
    record Add(DocumentPath path, AttributeValue value) implements UpdateAction {
        public Map<String, AttributeValue> apply(Map<String, AttributeValue> original, Map<String, AttributeValue> current) {
            return DocumentTree.update(current, path, old -> {
                if (old == null) {
                    return value;
                }
                if (old instanceof AttributeValue.N a && value instanceof AttributeValue.N b) {
                    return number(a.value().add(b.value()));
                }
                return combine(old, value, true);
            });
        }
    }

    /** Removes members from a set; a set left empty is removed, a missing attribute stays missing. */
    record Delete(DocumentPath path, AttributeValue value) implements UpdateAction {
        public Map<String, AttributeValue> apply(Map<String, AttributeValue> original, Map<String, AttributeValue> current) {
            return DocumentTree.update(current, path, old -> old == null ? null : combine(old, value, false));
        }
    }

    /** A computed number, checked against DynamoDB's limits. */
    static AttributeValue.N number(BigDecimal value) {
        try {
            return new AttributeValue.N(Numbers.check(value));
        } catch (Numbers.NumberRuleException e) {
            throw TablesException.validation(e.getMessage());
        }
    }

    /** The union or difference of two sets of the same type; null for an empty result. */
    private static AttributeValue combine(AttributeValue set, AttributeValue members, boolean union) {
        if (set instanceof AttributeValue.SS a && members instanceof AttributeValue.SS b) {
            return combine(a.value(), b.value(), union, AttributeValue.SS::new);
        }
        if (set instanceof AttributeValue.NS a && members instanceof AttributeValue.NS b) {
            return combine(a.value(), b.value(), union, AttributeValue.NS::new);
        }
        if (set instanceof AttributeValue.BS a && members instanceof AttributeValue.BS b) {
            return combine(a.value(), b.value(), union, AttributeValue.BS::new);
        }
        throw TablesException.validation(SetValue.WRONG_TYPE);
    }

    private static <T> AttributeValue combine(Set<T> set, Set<T> members, boolean union, Function<Set<T>, AttributeValue> make) {
        Set<T> result = new LinkedHashSet<>(set);
        if (union) {
            result.addAll(members);
        } else {
            result.removeAll(members);
        }
        return result.isEmpty() ? null : make.apply(result);
    }
}
