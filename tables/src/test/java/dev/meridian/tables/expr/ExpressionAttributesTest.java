package dev.meridian.tables.expr;

import static dev.meridian.tables.expr.Values.item;
import static dev.meridian.tables.expr.Values.n;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.tables.TablesException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionAttributesTest {

    @Test
    void placeholdersUsedByAnyExpressionOfTheRequestCountAsUsed() {
        var attributes = new ExpressionAttributes(Map.of("#a", "a", "#b", "b"), item(":v", n("1"), ":w", n("2")));
        ConditionExpression.parse("#a = :v", attributes);
        UpdateExpression.parse("SET #b = :w", attributes);

        assertThatCode(attributes::checkAllUsed).doesNotThrowAnyException();
    }

    @Test
    void anUnusedValueIsRejected() {
        var attributes = new ExpressionAttributes(null, item(":v", n("1"), ":w", n("2"), ":x", n("3")));
        ConditionExpression.parse("a = :w", attributes);

        assertThatThrownBy(attributes::checkAllUsed).isInstanceOf(TablesException.class)
                .hasMessage("Value provided in ExpressionAttributeValues unused in expressions: keys: {:v, :x}");
    }

    @Test
    void anUnusedNameIsRejected() {
        var attributes = new ExpressionAttributes(Map.of("#n", "n"), null);
        ProjectionExpression.parse("a", attributes);

        assertThatThrownBy(attributes::checkAllUsed).hasMessage("Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}");
    }

    @Test
    void aPlaceholderUsedOnlyInAFailedParseStillCountsAsUsed() {
        var attributes = new ExpressionAttributes(Map.of("#n", "n"), null);
        assertThatThrownBy(() -> ConditionExpression.parse("#n", attributes)).isInstanceOf(TablesException.class);

        assertThatCode(attributes::checkAllUsed).doesNotThrowAnyException();
    }

    @Test
    void absentMapsNeedNothing() {
        assertThatCode(ExpressionAttributes.none()::checkAllUsed).doesNotThrowAnyException();
    }

    @Test
    void emptyMapsAndMalformedKeysAreRejected() {
        assertThatThrownBy(() -> new ExpressionAttributes(Map.of(), null)).hasMessage("ExpressionAttributeNames must not be empty");
        assertThatThrownBy(() -> new ExpressionAttributes(null, Map.of())).hasMessage("ExpressionAttributeValues must not be empty");
        assertThatThrownBy(() -> new ExpressionAttributes(Map.of("n", "n"), null))
                .hasMessage("ExpressionAttributeNames contains invalid key: Syntax error; key: \"n\"");
        assertThatThrownBy(() -> new ExpressionAttributes(null, item("v", n("1"))))
                .hasMessage("ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"");
    }
}
