package dev.meridian.tables.expr;

import static dev.meridian.tables.expr.Values.item;
import static dev.meridian.tables.expr.Values.list;
import static dev.meridian.tables.expr.Values.map;
import static dev.meridian.tables.expr.Values.n;
import static dev.meridian.tables.expr.Values.s;
import static dev.meridian.tables.expr.Values.ss;

import dev.meridian.tables.TablesException;
import dev.meridian.tables.model.AttributeValue;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any text, however malformed, yields a result or a TablesException: never another exception. */
class ExpressionFuzzTest {
    private static final Map<String, AttributeValue> ITEM =
            item("a", n("1"), "b", s("x"), "c", list(n("1"), map("d", n("2"))), "e", ss("x", "y"), "f", map("g", list()));
    private static final List<String> VOCABULARY = List.of(
            "a", "b", "c", "d", "e", "f", "g", "#n", "#m", ":n", ":s", ":l", ":set", ":m", ":undefined", "#undefined",
            "[0]", "[1]", "[99]", ".", ",", "(", ")", "=", "<>", "<", "<=", ">", ">=", "+", "-", "AND", "OR", "NOT",
            "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE", "size", "contains", "begins_with", "attribute_exists",
            "attribute_not_exists", "attribute_type", "if_not_exists", "list_append", "year", "[", "]", "1", " ");

    @Property(tries = 3000)
    void randomCharactersNeverEscapeAsOtherExceptions(@ForAll("noise") String text) {
        exerciseAllKinds(text);
    }

    @Property(tries = 5000)
    void randomTokenSequencesNeverEscapeAsOtherExceptions(@ForAll("tokenSoup") String text) {
        exerciseAllKinds(text);
    }

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.strings().withChars("abc#:.,()[]=<>+-_ 019ANDORSETxyz\t\"'!").ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> tokenSoup() {
        return Arbitraries.of(VOCABULARY).list().ofMaxSize(14).map(tokens -> String.join(" ", tokens));
    }

    private static void exerciseAllKinds(String text) {
        survives(t -> ConditionExpression.parse(t, attributes()).test(ITEM), text);
        survives(t -> UpdateExpression.parse(t, attributes()).apply(ITEM), text);
        survives(t -> ProjectionExpression.parse(t, attributes()).project(ITEM), text);
        survives(t -> KeyConditionExpression.parse(t, attributes(), "a", "b").range().ifPresent(r -> r.test(n("1"))), text);
    }

    private static ExpressionAttributes attributes() {
        return new ExpressionAttributes(Map.of("#n", "a", "#m", "c"),
                item(":n", n("1"), ":s", s("S"), ":l", list(n("3")), ":set", ss("x"), ":m", map("k", n("1"))));
    }

    private static void survives(Consumer<String> use, String text) {
        try {
            use.accept(text);
        } catch (TablesException expected) {
            // Rejecting the text is fine; any other exception fails the property.
        }
    }
}
