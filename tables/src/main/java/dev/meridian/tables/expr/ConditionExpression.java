package dev.meridian.tables.expr;

import dev.meridian.tables.TablesException;
import dev.meridian.tables.model.AttributeValue;
import java.util.Map;

/** A parsed ConditionExpression or FilterExpression, tested against items. Immutable and thread-safe once parsed. */
public final class ConditionExpression {
    private final Condition condition;

    private ConditionExpression(Condition condition) {
        this.condition = condition;
    }

    /**
     * Parses a ConditionExpression.
     *
     * @throws TablesException ValidationException with DynamoDB's message for any invalid expression
     */
    public static ConditionExpression parse(String text, ExpressionAttributes attributes) {
        return parse(text, attributes, "ConditionExpression");
    }

    /**
     * Parses a condition supplied in the request parameter {@code parameterName} (e.g. {@code FilterExpression}),
     * which error messages name.
     */
    public static ConditionExpression parse(String text, ExpressionAttributes attributes, String parameterName) {
        return new ConditionExpression(new ConditionParser(text, attributes, parameterName).parse());
    }

    /** Whether the condition holds for {@code item}; pass an empty map when there is no item. */
    public boolean test(Map<String, AttributeValue> item) {
        return condition.test(item);
    }
}
