package dev.meridian.tables.expr;

import static dev.meridian.tables.expr.Values.item;
import static dev.meridian.tables.expr.Values.n;
import static dev.meridian.tables.expr.Values.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.tables.DynamoError;
import dev.meridian.tables.TablesException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpressionErrorsTest {
    private static final ExpressionAttributes ATTRIBUTES =
            new ExpressionAttributes(Map.of("#n", "name"), item(":v", n("1"), ":w", n("2"), ":s", s("S"), ":bad", s("X")));

    private static void assertConditionFails(String expression, String message) {
        assertThatThrownBy(() -> ConditionExpression.parse(expression, ATTRIBUTES))
                .isInstanceOfSatisfying(TablesException.class, e -> assertThat(e.error()).isEqualTo(DynamoError.VALIDATION))
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a = | <EOF> | a =",
            "a = :v :w | :w | :v :w",
            "a == :v | = | == :v",
            "a = :v AND | <EOF> | :v AND",
            "(a = :v | <EOF> | = :v",
            "a ! :v | ! | a ! :v",
            "1a = :v | 1a | 1a =",
            "a[x] = :v | x | [x]",
            "a BETWEEN :v OR :w | OR | :v OR :w",
            "size(a) | <EOF> | a)",
            "a IN () | ) | ()",
    })
    void syntaxErrorsQuoteTheTokenAndItsNeighbours(String expression, String token, String near) {
        assertConditionFails(expression,
                "Invalid ConditionExpression: Syntax error; token: \"" + token + "\", near: \"" + near.strip() + "\"");
    }

    @Test
    void syntaxErrorNearTextKeepsTheOriginalSpacing() {
        assertThatThrownBy(() -> UpdateExpression.parse("SET path = VALUE 1", ATTRIBUTES))
                .hasMessage("Invalid UpdateExpression: Syntax error; token: \"1\", near: \"VALUE 1\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a = :x | An expression attribute value used in expression is not defined; attribute value: :x",
            "#x = :v | An expression attribute name used in the document path is not defined; attribute name: #x",
            "a.#x = :v | An expression attribute name used in the document path is not defined; attribute name: #x",
            "year = :v | Attribute name is a reserved keyword; reserved keyword: year",
            "a.Size = :v | Attribute name is a reserved keyword; reserved keyword: Size",
            "nope(a) | Invalid function name; function: nope",
            "Attribute_Exists(a) | Invalid function name; function: Attribute_Exists",
            "begins_with(a) | Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1",
            "attribute_exists(a, b) | Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2",
            "begins_with(a, :v) | Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
            "attribute_exists(:v) | Operator or function requires a document path; operator or function: attribute_exists",
            "attribute_type(a, :bad) | Invalid attribute type name found; type: X, valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }",
            "attribute_type(a, :v) | Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N",
            "size(:v) = :w | Incorrect operand type for operator or function; operator or function: size, operand type: N",
            "size(size(a)) = :w | Incorrect operand type for operator or function; operator or function: size, operand type: N",
            "attribute_exists(a) = :v | The function is not allowed to be used this way in an expression; function: attribute_exists",
            "list_append(a, b) = :v | The function is not allowed in a condition expression; function: list_append",
            "a BETWEEN :w AND :v | The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}",
    })
    void semanticErrorsNameTheCulprit(String expression, String detail) {
        assertConditionFails(expression, "Invalid ConditionExpression: " + detail);
    }

    @Test
    void syntaxErrorsAreReportedBeforeEarlierSemanticErrors() {
        assertConditionFails("year = :undefined )", "Invalid ConditionExpression: Syntax error; token: \")\", near: \":undefined )\"");
    }

    @Test
    void theFirstSemanticErrorWins() {
        assertConditionFails("#x = :x", "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x");
    }

    @Test
    void emptyAndBlankExpressionsAreRejected() {
        assertConditionFails("", "Invalid ConditionExpression: The expression can not be empty;");
        assertConditionFails("  \n", "Invalid ConditionExpression: The expression can not be empty;");
        assertThatThrownBy(() -> UpdateExpression.parse(null, ATTRIBUTES)).hasMessage("Invalid UpdateExpression: The expression can not be empty;");
    }

    @Test
    void expressionsLongerThanFourKilobytesAreRejected() {
        String longest = "a = :v OR " + "a".repeat(4096 - "a = :v OR  = :v".length()) + " = :v";
        ConditionExpression.parse(longest, ATTRIBUTES);

        assertConditionFails(longest + " ", "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097");
    }

    @Test
    void documentPathsNestDeeperThan32LevelsAreRejected() {
        ConditionExpression.parse("a" + ".b".repeat(31) + " = :v", ATTRIBUTES);

        assertConditionFails("a" + ".b".repeat(32) + " = :v",
                "Invalid ConditionExpression: The document path has too many nesting levels; nesting levels: 33");
    }

    @Test
    void inRejectsMoreThanOneHundredCandidates() {
        String candidates = String.join(",", java.util.Collections.nCopies(101, ":v"));

        assertConditionFails("a IN (" + candidates + ")",
                "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101");
    }

    @Test
    void deepNestingIsRejectedRatherThanOverflowingTheStack() {
        assertConditionFails("(".repeat(2000) + "a = :v" + ")".repeat(2000),
                "Invalid ConditionExpression: The expression has too many nesting levels; nesting levels: 301");
    }

    @Test
    void theCallerNamesTheParameterInMessages() {
        assertThatThrownBy(() -> ConditionExpression.parse("a = :x", ATTRIBUTES, "FilterExpression"))
                .hasMessage("Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :x");
    }
}
