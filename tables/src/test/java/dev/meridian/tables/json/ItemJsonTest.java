package dev.meridian.tables.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.tables.DynamoError;
import dev.meridian.tables.TablesException;
import dev.meridian.tables.model.AttributeValue;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String singleQuoted) throws Exception {
        return JSON.readTree(singleQuoted.replace('\'', '"'));
    }

    private static void rejects(String item, DynamoError error, String message) {
        assertThatThrownBy(() -> ItemJson.readItem(json(item)))
                .isInstanceOfSatisfying(TablesException.class, e -> {
                    assertThat(e.error()).isEqualTo(error);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void everyTypeRoundTrips() throws Exception {
        String text = "{'s':{'S':'x'},'n':{'N':'-1.50'},'b':{'B':'AAE='},'t':{'BOOL':true},'z':{'NULL':true},"
                + "'m':{'M':{'in':{'L':[{'N':'1'},{'S':''}]}}},'ss':{'SS':['a','b']},'ns':{'NS':['1','2.0']},"
                + "'bs':{'BS':['AQ==']}}";
        Map<String, AttributeValue> item = ItemJson.readItem(json(text));
        assertThat(item.get("n")).isEqualTo(new AttributeValue.N(new BigDecimal("-1.5")));
        assertThat(((AttributeValue.B) item.get("b")).value()).containsExactly(0, 1);
        assertThat(ItemJson.writeItem(item).toString()).isEqualTo(json(text.replace("-1.50", "-1.5")
                .replace("'2.0'", "'2'")).toString());
    }

    @Test
    void emptyAndMultiTypedValuesAreRejected() {
        rejects("{'a':{}}", DynamoError.VALIDATION,
                "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        rejects("{'a':{'M':{'b':{'L':[{}]}}}}", DynamoError.VALIDATION,
                "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        rejects("{'a':{'S':'x','N':'1'}}", DynamoError.VALIDATION,
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
    }

    @Test
    void emptyAndDuplicateSetsAreRejectedWithDynamoDbWording() {
        rejects("{'a':{'SS':[]}}", DynamoError.VALIDATION,
                "One or more parameter values were invalid: An string set  may not be empty");
        rejects("{'a':{'NS':[]}}", DynamoError.VALIDATION,
                "One or more parameter values were invalid: An number set  may not be empty");
        rejects("{'a':{'BS':[]}}", DynamoError.VALIDATION,
                "One or more parameter values were invalid: Binary sets should not be empty");
        rejects("{'a':{'SS':['a','a']}}", DynamoError.VALIDATION,
                "One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
        rejects("{'a':{'NS':['1','1.0']}}", DynamoError.VALIDATION,
                "One or more parameter values were invalid: Input collection [1, 1.0] contains duplicates.");
        rejects("{'a':{'BS':['Yg==','Yg==']}}", DynamoError.VALIDATION,
                "One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains duplicates.");
    }

    @Test
    void badNumbersNullsAndBinariesAreRejected() {
        rejects("{'a':{'N':'1x'}}", DynamoError.VALIDATION, "The parameter cannot be converted to a numeric value: 1x");
        rejects("{'a':{'N':'1E+126'}}", DynamoError.VALIDATION,
                "Number overflow. Attempting to store a number with magnitude larger than supported range");
        rejects("{'a':{'NULL':false}}", DynamoError.VALIDATION,
                "One or more parameter values were invalid: Null attribute value types must have the value of true");
        rejects("{'a':{'B':'abc'}}", DynamoError.SERIALIZATION,
                "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3");
        assertThatThrownBy(() -> ItemJson.readItem(json("{'a':{'B':'a*c='}}")))
                .isInstanceOfSatisfying(TablesException.class,
                        e -> assertThat(e.error()).isEqualTo(DynamoError.SERIALIZATION));
    }

    @Test
    void wrongJsonShapesAreSerializationErrors() {
        rejects("{'a':{'S':{'x':1}}}", DynamoError.SERIALIZATION, "Start of structure or map found where not expected.");
        rejects("{'a':{'S':['x']}}", DynamoError.SERIALIZATION, "Start of list found where not expected");
        rejects("{'a':{'S':5}}", DynamoError.SERIALIZATION, "class java.lang.Short can not be converted to an String");
        rejects("{'a':{'L':{}}}", DynamoError.SERIALIZATION, "Start of structure or map found where not expected.");
        rejects("{'a':{'BOOL':'yes'}}", DynamoError.SERIALIZATION, "'YES' can not be converted to an Boolean");
        rejects("{'a':'x'}", DynamoError.SERIALIZATION, "Expected null");
        rejects("[]", DynamoError.SERIALIZATION, "Start of list found where not expected");
    }

    @Test
    void nestingBeyondThirtyTwoLevelsIsRejected() throws Exception {
        assertThat(ItemJson.readItem(json("{'a':" + nested(32) + "}"))).containsKey("a");
        rejects("{'a':" + nested(33) + "}", DynamoError.VALIDATION,
                "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit");
    }

    private static String nested(int levels) {
        return "{'L':[".repeat(levels) + "{'N':'1'}" + "]}".repeat(levels);
    }
}
