package dev.meridian.tables.expr;

import static dev.meridian.tables.expr.Values.b;
import static dev.meridian.tables.expr.Values.item;
import static dev.meridian.tables.expr.Values.n;
import static dev.meridian.tables.expr.Values.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.tables.TablesException;
import dev.meridian.tables.expr.KeyConditionExpression.RangeCondition;
import dev.meridian.tables.expr.KeyConditionExpression.RangeCondition.Op;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyConditionExpressionTest {
    private static final ExpressionAttributes VALUES =
            new ExpressionAttributes(Map.of("#s", "sk"), item(":h", s("user"), ":lo", n("1"), ":hi", n("5"), ":p", s("ab")));

    private static KeyConditionExpression parse(String expression) {
        return KeyConditionExpression.parse(expression, VALUES, "pk", "sk");
    }

    @Test
    void hashKeyEqualityAlone() {
        var key = parse("pk = :h");

        assertThat(key.hashValue()).isEqualTo(s("user"));
        assertThat(key.range()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "pk = :h AND sk = :lo | EQ", "pk = :h AND sk < :lo | LT", "pk = :h AND sk <= :lo | LE",
            "pk = :h AND sk > :lo | GT", "pk = :h AND sk >= :lo | GE", "sk < :lo AND pk = :h | LT",
            "pk = :h AND :lo > sk | LT", "(pk = :h) and (#s >= :lo) | GE",
    })
    void rangeComparisonsInEitherOrder(String expression, Op op) {
        var key = parse(expression);

        assertThat(key.hashValue()).isEqualTo(s("user"));
        assertThat(key.range()).contains(new RangeCondition(op, n("1"), null));
    }

    @Test
    void betweenAndBeginsWithOnTheRangeKey() {
        assertThat(parse("pk = :h AND sk BETWEEN :lo AND :hi").range()).contains(new RangeCondition(Op.BETWEEN, n("1"), n("5")));
        assertThat(parse("begins_with(sk, :p) AND pk = :h").range()).contains(new RangeCondition(Op.BEGINS_WITH, s("ab"), null));
    }

    @Test
    void rangeConditionsTestValuesAsDynamoDbOrdersThem() {
        assertThat(new RangeCondition(Op.LT, n("10"), null).test(n("9"))).isTrue();
        assertThat(new RangeCondition(Op.LT, n("10"), null).test(s("9"))).isFalse();
        assertThat(new RangeCondition(Op.GE, s("b"), null).test(s("ba"))).isTrue();
        assertThat(new RangeCondition(Op.EQ, n("1"), null).test(n("1.0"))).isTrue();
        assertThat(new RangeCondition(Op.LE, n("1"), null).test(n("2"))).isFalse();
        assertThat(new RangeCondition(Op.GT, n("1"), null).test(n("1"))).isFalse();
        assertThat(new RangeCondition(Op.BETWEEN, n("1"), n("5")).test(n("5"))).isTrue();
        assertThat(new RangeCondition(Op.BETWEEN, n("1"), n("5")).test(n("5.1"))).isFalse();
        assertThat(new RangeCondition(Op.BEGINS_WITH, s("ab"), null).test(s("abc"))).isTrue();
        assertThat(new RangeCondition(Op.BEGINS_WITH, b("ab"), null).test(b("abc"))).isTrue();
        assertThat(new RangeCondition(Op.BEGINS_WITH, s("ab"), null).test(s("ba"))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "sk = :lo | Query condition missed key schema element: pk",
            "pk = :h AND extra = :lo | Query condition missed key schema element: sk",
            "pk < :h | Query key condition not supported",
            "begins_with(pk, :p) | Query key condition not supported",
            "pk = :h OR sk = :lo | Invalid operator used in KeyConditionExpression: OR",
            "pk = :h AND NOT sk = :lo | Invalid operator used in KeyConditionExpression: NOT",
            "pk = :h AND sk <> :lo | Invalid operator used in KeyConditionExpression: <>",
            "pk = :h AND sk IN (:lo) | Invalid operator used in KeyConditionExpression: IN",
            "pk = :h AND attribute_exists(sk) | Invalid operator used in KeyConditionExpression: attribute_exists",
            "pk = :h AND contains(sk, :p) | Invalid operator used in KeyConditionExpression: contains",
            "pk = :h AND sk = :lo AND sk = :hi | KeyConditionExpressions must only contain one condition per key",
            "pk = :h AND pk = :h | KeyConditionExpressions must only contain one condition per key",
            "pk.x = :h | KeyConditionExpressions cannot have conditions on nested attributes",
            "pk = sk | Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
            "pk = :h AND size(sk) = :lo | Invalid operator used in KeyConditionExpression: size",
            "pk = :h AND begins_with(sk, :lo) | Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
            "pk = :h AND sk BETWEEN :hi AND :lo | Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}",
            "pk = :x | Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :x",
    })
    void unsupportedKeyConditionsAreRejected(String expression, String message) {
        assertThatThrownBy(() -> parse(expression)).isInstanceOf(TablesException.class).hasMessage(message);
    }

    @Test
    void aTableWithoutRangeKeyAcceptsOnlyTheHashCondition() {
        assertThat(KeyConditionExpression.parse("pk = :h", VALUES, "pk", null).range()).isEmpty();
        assertThatThrownBy(() -> KeyConditionExpression.parse("pk = :h AND sk = :lo", VALUES, "pk", null))
                .hasMessage("Query key condition not supported");
    }
}
