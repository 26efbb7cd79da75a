package dev.meridian.tables.expr;

import static dev.meridian.tables.expr.Values.item;
import static dev.meridian.tables.expr.Values.list;
import static dev.meridian.tables.expr.Values.map;
import static dev.meridian.tables.expr.Values.n;
import static dev.meridian.tables.expr.Values.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.tables.TablesException;
import dev.meridian.tables.model.AttributeValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProjectionExpressionTest {
    private static final Map<String, AttributeValue> ITEM = item(
            "pk", s("key"),
            "title", s("book"),
            "a", map("b", list(map("c", n("0"), "d", n("9")), map("c", n("1"), "d", n("8")), map("c", n("2"))), "e", s("x")),
            "letters", list(s("l0"), s("l1"), s("l2"), s("l3")));

    private static Map<String, AttributeValue> project(String expression) {
        return ProjectionExpression.parse(expression, ExpressionAttributes.none()).project(ITEM);
    }

    @Test
    void topLevelAttributesAreCopiedWhole() {
        assertThat(project("pk, a")).isEqualTo(item("pk", s("key"), "a", ITEM.get("a")));
    }

    @Test
    void nestedPathsKeepTheirStructure() {
        assertThat(project("a.b[1].c")).isEqualTo(item("a", map("b", list(map("c", n("1"))))));
        assertThat(project("a.e, a.b[0].d")).isEqualTo(item("a", map("b", list(map("d", n("9"))), "e", s("x"))));
    }

    @Test
    void selectedListElementsKeepIndexOrderWhateverTheWrittenOrder() {
        assertThat(project("letters[3], letters[1]")).isEqualTo(item("letters", list(s("l1"), s("l3"))));
    }

    @Test
    void missingPartsAreLeftOut() {
        assertThat(project("absent, a.nope, letters[9], title.c, a.b[2].d")).isEmpty();
        assertThat(project("title, absent")).isEqualTo(item("title", s("book")));
    }

    @Test
    void namePlaceholdersAreResolved() {
        var attributes = new ExpressionAttributes(Map.of("#n", "name", "#a", "a"), null);
        var projection = ProjectionExpression.parse("#n, #a.e", attributes);

        assertThat(projection.project(item("name", s("n"), "a", map("e", s("x"), "f", s("y"))))).isEqualTo(item("name", s("n"), "a", map("e", s("x"))));
        attributes.checkAllUsed();
    }

    @Test
    void overlappingPathsAreRejected() {
        assertThatThrownBy(() -> project("a, a.b")).isInstanceOf(TablesException.class).hasMessage(
                "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]");
    }

    @Test
    void malformedProjectionsAreRejected() {
        assertThatThrownBy(() -> project("a,")).hasMessage("Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \"a,\"");
        assertThatThrownBy(() -> project("name")).hasMessage("Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name");
        assertThatThrownBy(() -> project("a = :v")).hasMessageStartingWith("Invalid ProjectionExpression: Syntax error; token: \"=\"");
    }
}
