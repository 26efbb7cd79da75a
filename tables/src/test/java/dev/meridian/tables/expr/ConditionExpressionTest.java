package dev.meridian.tables.expr;

import static dev.meridian.tables.expr.Values.b;
import static dev.meridian.tables.expr.Values.bool;
import static dev.meridian.tables.expr.Values.bs;
import static dev.meridian.tables.expr.Values.item;
import static dev.meridian.tables.expr.Values.list;
import static dev.meridian.tables.expr.Values.map;
import static dev.meridian.tables.expr.Values.n;
import static dev.meridian.tables.expr.Values.ns;
import static dev.meridian.tables.expr.Values.s;
import static dev.meridian.tables.expr.Values.ss;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.tables.model.AttributeValue;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionExpressionTest {
    private static final Map<String, AttributeValue> ITEM = item(
            "num", n("10"),
            "str", s("apple"),
            "bin", b("abc"),
            "flag", bool(true),
            "tags", ss("red", "blue"),
            "scores", ns("1", "2.5"),
            "blobs", bs("x", "y"),
            "things", list(s("first"), n("2"), map("deep", s("value"))),
            "doc", map("nested", map("leaf", n("7")), "labels", list(s("zero"), s("one"))),
            "unicode", s("é𝄞"),
            "reserved name", s("spaced"));

    private static final Map<String, AttributeValue> VALUES = item(
            ":ten", n("10"), ":nine", n("9"), ":eleven", n("11"), ":tenDotZero", n("10.0"),
            ":one", n("1"), ":two", n("2"), ":three", n("3"), ":seven", n("7"),
            ":apple", s("apple"), ":app", s("app"), ":ppl", s("ppl"), ":pear", s("pear"), ":red", s("red"),
            ":ab", b("ab"), ":x", b("x"), ":first", s("first"), ":deepMap", map("deep", s("value")),
            ":true", bool(true), ":twoHalf", n("2.5"),
            ":typeS", s("S"), ":typeN", s("N"), ":typeSS", s("SS"), ":typeL", s("L"), ":typeM", s("M"),
            ":typeB", s("B"), ":typeBOOL", s("BOOL"), ":typeNS", s("NS"), ":typeBS", s("BS"));

    private static boolean holds(String expression) {
        var attributes = new ExpressionAttributes(Map.of("#r", "reserved name", "#d", "doc", "#i", "nested"), VALUES);
        return ConditionExpression.parse(expression, attributes).test(ITEM);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "num = :ten | true", "num = :tenDotZero | true", "num = :nine | false",
            "num <> :nine | true", "num <> :ten | false",
            "num < :eleven | true", "num < :ten | false", "num <= :ten | true", "num <= :nine | false",
            "num > :nine | true", "num > :ten | false", "num >= :ten | true", "num >= :eleven | false",
            "str < :pear | true", "str > :app | true", "bin > :ab | true",
            ":nine < num | true",
    })
    void comparatorsOrderNumbersNumericallyAndStringsByBytes(String expression, boolean expected) {
        assertThat(holds(expression)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "num = :apple | false", "num <> :apple | true", "num < :apple | false", "num >= :apple | false",
            "absent = :ten | false", "absent <> :ten | true", "absent < :ten | false",
            "flag < :true | false", "flag = :true | true", "things[2] = :deepMap | true",
    })
    void comparisonsAcrossTypesOrWithMissingAttributesAreFalseExceptNotEqual(String expression, boolean expected) {
        assertThat(holds(expression)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "num BETWEEN :nine AND :eleven | true", "num BETWEEN :ten AND :ten | true",
            "num BETWEEN :one AND :nine | false", "str BETWEEN :app AND :pear | true",
            "num BETWEEN :apple AND :pear | false", "absent BETWEEN :one AND :ten | false",
            "num IN (:one, :ten) | true", "num IN (:one, :two) | false", "str IN (:apple) | true",
            "absent IN (:one) | false",
    })
    void betweenIsInclusiveAndInMatchesAnyCandidate(String expression, boolean expected) {
        assertThat(holds(expression)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "num = :ten OR num = :one AND num = :two | true",
            "(num = :ten OR num = :one) AND num = :two | false",
            "NOT num = :ten AND num = :two | false",
            "NOT (num = :ten AND num = :two) | true",
            "NOT NOT num = :ten | true",
            "num = :one OR num = :two OR num = :ten | true",
            "num = :ten and not str = :pear or num = :one | true",
            "((num = :ten)) | true",
    })
    void notBindsTighterThanAndWhichBindsTighterThanOr(String expression, boolean expected) {
        assertThat(holds(expression)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "attribute_exists(num) | true", "attribute_exists(absent) | false",
            "attribute_exists(doc.nested.leaf) | true", "attribute_exists(doc.nested.nope) | false",
            "attribute_exists(things[2].deep) | true", "attribute_exists(things[3]) | false",
            "attribute_not_exists(absent) | true", "attribute_not_exists(num) | false",
            "attribute_type(num, :typeN) | true", "attribute_type(num, :typeS) | false",
            "attribute_type(tags, :typeSS) | true", "attribute_type(things, :typeL) | true",
            "attribute_type(doc, :typeM) | true", "attribute_type(bin, :typeB) | true",
            "attribute_type(flag, :typeBOOL) | true", "attribute_type(scores, :typeNS) | true",
            "attribute_type(blobs, :typeBS) | true", "attribute_type(absent, :typeS) | false",
    })
    void existenceAndTypeFunctions(String expression, boolean expected) {
        assertThat(holds(expression)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "begins_with(str, :app) | true", "begins_with(str, :ppl) | false", "begins_with(bin, :ab) | true",
            "begins_with(num, :app) | false", "begins_with(absent, :app) | false",
            "contains(str, :ppl) | true", "contains(str, :pear) | false",
            "contains(tags, :red) | true", "contains(tags, :apple) | false",
            "contains(scores, :twoHalf) | true", "contains(scores, :seven) | false",
            "contains(blobs, :x) | true", "contains(things, :first) | true", "contains(things, :two) | true",
            "contains(things, :deepMap) | true", "contains(things, :apple) | false", "contains(num, :one) | false",
    })
    void beginsWithAndContains(String expression, boolean expected) {
        assertThat(holds(expression)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "size(str) = :apple | false", "size(bin) = :three | true", "size(tags) = :two | true",
            "size(things) = :three | true", "size(doc) = :two | true", "size(unicode) = :three | true",
            "size(str) > :three | true", "size(num) = :two | false", "size(num) <> :two | true",
            "size(absent) >= :one | false", "size(:apple) = :seven | false", ":three = size(things) | true",
    })
    void sizeCountsCharactersInUtf16BytesAndElements(String expression, boolean expected) {
        assertThat(holds(expression)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "#r = :apple | false", "begins_with(#r, :apple) | false", "attribute_exists(#r) | true",
            "#d.#i.leaf = :seven | true", "doc.labels[1] = :apple | false", "attribute_exists(#d.labels[1]) | true",
            "doc.nested.leaf BETWEEN :one AND :seven | true", "things[0] = :first | true", "things [ 0 ] = :first | true",
    })
    void documentPathsResolveNamesNestingAndIndexes(String expression, boolean expected) {
        assertThat(holds(expression)).isEqualTo(expected);
    }

    @Test
    void conditionsOnAnAbsentItemSeeEveryAttributeMissing() {
        var condition = ConditionExpression.parse("attribute_not_exists(pk) AND NOT begins_with(pk, :p)", Values.values(":p", s("x")));

        assertThat(condition.test(Map.of())).isTrue();
        assertThat(condition.test(item("pk", s("xyz")))).isFalse();
    }

    @Test
    void inAcceptsOneHundredCandidates() {
        var values = new java.util.LinkedHashMap<String, AttributeValue>();
        var refs = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            values.put(":v" + i, n(Integer.toString(i)));
            refs.append(i == 0 ? "" : ",").append(":v").append(i);
        }
        var condition = ConditionExpression.parse("num IN (" + refs + ")", new ExpressionAttributes(null, values));

        assertThat(condition.test(ITEM)).isTrue();
    }
}
