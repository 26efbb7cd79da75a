package dev.meridian.tables.expr;

import static dev.meridian.tables.expr.Values.bool;
import static dev.meridian.tables.expr.Values.item;
import static dev.meridian.tables.expr.Values.list;
import static dev.meridian.tables.expr.Values.map;
import static dev.meridian.tables.expr.Values.n;
import static dev.meridian.tables.expr.Values.ns;
import static dev.meridian.tables.expr.Values.s;
import static dev.meridian.tables.expr.Values.ss;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.tables.TablesException;
import dev.meridian.tables.model.AttributeValue;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpdateExpressionTest {
    private static final Map<String, AttributeValue> ITEM = item(
            "pk", s("key"),
            "visits", n("5"),
            "title", s("old"),
            "letters", list(s("a"), s("b"), s("c"), s("d")),
            "doc", map("nested", map("leaf", n("1"))),
            "tags", ss("red", "blue"),
            "nums", ns("1", "2"));

    private static final ExpressionAttributes VALUES = Values.values(
            ":one", n("1"), ":big", n("9E+125"), ":text", s("new"),
            ":list", list(s("x")), ":green", ss("green", "red"), ":red", ss("red"), ":three", ns("3"), ":tags", ss("red", "blue"),
            ":flag", bool(true), ":deep", map("k", n("2")));

    private static Map<String, AttributeValue> apply(String expression) {
        return UpdateExpression.parse(expression, VALUES).apply(ITEM);
    }

    private static void assertRejected(String expression, String message) {
        assertThatThrownBy(() -> apply(expression)).isInstanceOf(TablesException.class).hasMessage(message);
    }

    @Test
    void setReplacesCreatesAndNests() {
        var result = apply("SET title = :text, fresh = :flag, doc.nested.extra = :one, doc.added = :deep");

        assertThat(result).containsEntry("title", s("new")).containsEntry("fresh", bool(true))
                .containsEntry("doc", map("nested", map("leaf", n("1"), "extra", n("1")), "added", map("k", n("2"))));
    }

    @Test
    void setOnAListIndexReplacesItAndPastTheEndAppends() {
        var result = apply("SET letters[1] = :text, letters[10] = :flag");

        assertThat(result.get("letters")).isEqualTo(list(s("a"), s("new"), s("c"), s("d"), bool(true)));
    }

    @Test
    void arithmeticAddsAndSubtractsNumbers() {
        assertThat(apply("SET visits = visits + :one").get("visits")).isEqualTo(n("6"));
        assertThat(apply("SET visits = :one - visits").get("visits")).isEqualTo(n("-4"));
        assertThat(apply("SET combined = doc.nested.leaf + visits").get("combined")).isEqualTo(n("6"));
    }

    @Test
    void ifNotExistsUsesTheExistingValueOrTheFallback() {
        assertThat(apply("SET visits = if_not_exists(visits, :one)").get("visits")).isEqualTo(n("5"));
        assertThat(apply("SET hits = if_not_exists(hits, :one) + :one").get("hits")).isEqualTo(n("2"));
    }

    @Test
    void listAppendJoinsInEitherOrder() {
        assertThat(apply("SET letters = list_append(letters, :list)").get("letters"))
                .isEqualTo(list(s("a"), s("b"), s("c"), s("d"), s("x")));
        assertThat(apply("SET letters = list_append(:list, letters)").get("letters"))
                .isEqualTo(list(s("x"), s("a"), s("b"), s("c"), s("d")));
        assertThat(apply("SET fresh = list_append(if_not_exists(fresh, :list), :list)").get("fresh"))
                .isEqualTo(list(s("x"), s("x")));
    }

    @Test
    void everyOperandReadsTheItemAsItWasBeforeTheUpdate() {
        var result = apply("SET visits = :one, copied = visits, title = pk, pk2 = title");

        assertThat(result).containsEntry("visits", n("1")).containsEntry("copied", n("5")).containsEntry("pk2", s("old"));
    }

    @Test
    void removeDeletesAttributesAndShiftsListElements() {
        var result = apply("REMOVE title, doc.nested.leaf, letters[0], letters[2], absent, letters[9]");

        assertThat(result).doesNotContainKeys("title", "absent")
                .containsEntry("doc", map("nested", map()))
                .containsEntry("letters", list(s("b"), s("d")));
    }

    @Test
    void removeRunsAfterSetSoIndexesKeepTheirOriginalMeaning() {
        var result = apply("REMOVE letters[0] SET letters[1] = :text");

        assertThat(result.get("letters")).isEqualTo(list(s("new"), s("c"), s("d")));
    }

    @Test
    void addIncrementsNumbersAndUnitesSetsAndCreatesMissingAttributes() {
        var result = apply("ADD visits :one, tags :green, nums :three, fresh :one, freshSet :red");

        assertThat(result).containsEntry("visits", n("6")).containsEntry("tags", ss("red", "blue", "green"))
                .containsEntry("nums", ns("1", "2", "3")).containsEntry("fresh", n("1")).containsEntry("freshSet", ss("red"));
    }

    @Test
    void deleteRemovesSetMembersAndAnEmptiedSetDisappears() {
        assertThat(apply("DELETE tags :red").get("tags")).isEqualTo(ss("blue"));
        assertThat(apply("DELETE tags :tags")).doesNotContainKey("tags");
        assertThat(apply("DELETE absent :red")).doesNotContainKey("absent");
    }

    @Test
    void sectionsCombineInAnyOrderAndKeywordsIgnoreCase() {
        var result = apply("delete tags :red add visits :one remove title set fresh = :flag");

        assertThat(result).containsEntry("tags", ss("blue")).containsEntry("visits", n("6"))
                .doesNotContainKey("title").containsEntry("fresh", bool(true));
    }

    @Test
    void applyLeavesTheInputUntouchedAndWorksOnAnAbsentItem() {
        Map<String, AttributeValue> before = Map.copyOf(ITEM);
        apply("SET title = :text REMOVE letters[0] ADD visits :one DELETE tags :red");

        assertThat(ITEM).isEqualTo(before);
        assertThat(UpdateExpression.parse("SET a = :one ADD b :one", VALUES).apply(Map.of()))
                .isEqualTo(item("a", n("1"), "b", n("1")));
    }

    @Test
    void updatedAttributesAreTheTopLevelNamesOfAllActions() {
        var update = UpdateExpression.parse("SET doc.nested.leaf = :one, #c = :one REMOVE letters[1] ADD tags :red",
                new ExpressionAttributes(Map.of("#c", "visits"), item(":one", n("1"), ":red", ss("red"))));

        assertThat(update.updatedAttributes()).containsExactly("doc", "visits", "letters", "tags");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SET title = title + :one | An operand in the update expression has an incorrect data type",
            "SET title = list_append(title, :list) | An operand in the update expression has an incorrect data type",
            "ADD title :one | An operand in the update expression has an incorrect data type",
            "ADD tags :three | An operand in the update expression has an incorrect data type",
            "DELETE visits :red | An operand in the update expression has an incorrect data type",
            "SET absent.child = :one | The document path provided in the update expression is invalid for update",
            "SET title.child = :one | The document path provided in the update expression is invalid for update",
            "SET doc[0] = :one | The document path provided in the update expression is invalid for update",
            "REMOVE absent.child | The document path provided in the update expression is invalid for update",
            "ADD absent.child :one | The document path provided in the update expression is invalid for update",
            "SET a = absent + :one | The provided expression refers to an attribute that does not exist in the item",
            "SET a = absent | The provided expression refers to an attribute that does not exist in the item",
            "SET visits = :big + :big | Number overflow. Attempting to store a number with magnitude larger than supported range",
    })
    void runtimeErrorsMatchDynamoDb(String expression, String message) {
        assertRejected(expression, message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SET a = :one SET b = :one | The \"SET\" section can only be used once in an update expression;",
            "REMOVE a remove b | The \"REMOVE\" section can only be used once in an update expression;",
            "SET a = :one REMOVE a.b | Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]",
            "SET a = :one, a = :one | Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
            "SET a[1] = :one REMOVE a.b | Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [1]], path two: [a, b]",
            "ADD a :text | Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND",
            "DELETE a :one | Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND",
            "SET a = b + :text | Incorrect operand type for operator or function; operator or function: +, operand type: S",
            "SET a = list_append(b, :one) | Incorrect operand type for operator or function; operator or function: list_append, operand type: N",
            "SET a = if_not_exists(:one, :one) | Operator or function requires a document path; operator or function: if_not_exists",
            "SET a = if_not_exists(b) | Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1",
            "SET a = size(b) | The function is not allowed in an update expression; function: size",
            "SET a = upper(b) | Invalid function name; function: upper",
            "SET #undefined = :one | An expression attribute name used in the document path is not defined; attribute name: #undefined",
    })
    void invalidExpressionsAreRejectedWhenParsed(String expression, String detail) {
        assertThatThrownBy(() -> UpdateExpression.parse(expression, VALUES)).isInstanceOf(TablesException.class)
                .hasMessage("Invalid UpdateExpression: " + detail);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SET a = b + c + d | +", "SET a | <EOF>", "a = :one | a", "SET a = :one,  | <EOF>", "REMOVE | <EOF>", "ADD a b | b",
    })
    void malformedUpdatesAreSyntaxErrors(String expression, String token) {
        assertThatThrownBy(() -> UpdateExpression.parse(expression, VALUES))
                .hasMessageStartingWith("Invalid UpdateExpression: Syntax error; token: \"" + token + "\"");
    }
}
