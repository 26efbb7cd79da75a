package dev.meridian.tables.expr;

import dev.meridian.tables.TablesException;
import dev.meridian.tables.model.AttributeValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The right-hand side of a SET action, evaluated against the item as it was before the update. */
sealed interface SetValue {
    String MISSING = "The provided expression refers to an attribute that does not exist in the item";
    String WRONG_TYPE = "An operand in the update expression has an incorrect data type";

    /**
     * @throws TablesException when a referenced attribute is missing or an operand has the wrong type
     */
    AttributeValue evaluate(Map<String, AttributeValue> item);

    /** A path or {@code :value}. */
    record Of(Operand operand) implements SetValue {
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            return operand.evaluate(item).orElseThrow(() -> TablesException.validation(MISSING));
        }
    }

    /** {@code left + right} or {@code left - right} on numbers. */
    record Arithmetic(SetValue left, boolean subtract, SetValue right) implements SetValue {
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            if (left.evaluate(item) instanceof AttributeValue.N a && right.evaluate(item) instanceof AttributeValue.N b) {
                return UpdateAction.number(subtract ? a.value().subtract(b.value()) : a.value().add(b.value()));
            }
            throw TablesException.validation(WRONG_TYPE);
        }
    }

    /** {@code if_not_exists(path, fallback)}. */
    record IfNotExists(DocumentPath path, SetValue fallback) implements SetValue {
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            return DocumentTree.get(item, path).orElseGet(() -> fallback.evaluate(item));
        }
    }

    /** {@code list_append(first, second)}. */
    record ListAppend(SetValue first, SetValue second) implements SetValue {
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            if (first.evaluate(item) instanceof AttributeValue.L a && second.evaluate(item) instanceof AttributeValue.L b) {
                List<AttributeValue> joined = new ArrayList<>(a.value());
                joined.addAll(b.value());
                return new AttributeValue.L(joined);
            }
            throw TablesException.validation(WRONG_TYPE);
        }
    }
}
