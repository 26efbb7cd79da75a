package dev.meridian.tables.expr;

import dev.meridian.tables.TablesException;
import dev.meridian.tables.model.AttributeValue;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** A parsed UpdateExpression, applied to items. Immutable and thread-safe once parsed. */
public final class UpdateExpression {
    private final List<UpdateAction> actions;
    private final Set<String> updatedAttributes;

    private UpdateExpression(List<UpdateAction> actions) {
        this.actions = actionsInApplyOrder(actions);
        var attributes = new LinkedHashSet<String>();
        actions.forEach(action -> attributes.add(action.path().attribute()));
        this.updatedAttributes = Collections.unmodifiableSet(attributes);
    }

    /**
     * Parses an UpdateExpression.
     *
     * @throws TablesException ValidationException with DynamoDB's message for any invalid expression
     */
    public static UpdateExpression parse(String text, ExpressionAttributes attributes) {
        return new UpdateExpression(new UpdateParser(text, attributes).parse());
    }

    /**
     * Returns the item the update produces from {@code item} (empty when there is no item); {@code item} is untouched.
     * Every operand is read from {@code item} as it was before the update, as DynamoDB does.
     *
     * @throws TablesException ValidationException for the runtime errors DynamoDB reports, such as an operand of the
     *                         wrong type or a path through a missing map
     */
    public Map<String, AttributeValue> apply(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> result = item;
        for (UpdateAction action : actions) {
            result = action.apply(item, result);
        }
        return result;
    }

    /** The top-level attribute names this expression touches (for ReturnValues UPDATED_OLD and UPDATED_NEW). */
    public Set<String> updatedAttributes() {
        return updatedAttributes;
    }

    /**
     * REMOVE actions run last, deepest list index first, so every index still means the position it had in the
     * original item even when several elements of one list are removed.
     */
    private static List<UpdateAction> actionsInApplyOrder(List<UpdateAction> actions) {
        var removes = actions.stream().filter(UpdateAction.Remove.class::isInstance)
                .sorted((a, b) -> DocumentPath.ORDER.compare(b.path(), a.path()));
        var others = actions.stream().filter(action -> !(action instanceof UpdateAction.Remove));
        return Stream.concat(others, removes).toList();
    }
}
