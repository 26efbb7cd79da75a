package dev.meridian.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ItemOperationsTest extends TablesTestCase {
    @BeforeEach
    void createTables() {
        h.createRangeTable("items", "S", "N");
    }

    private JsonNode get(String key) {
        return h.call("GetItem", "{'TableName':'items','Key':" + key + "}");
    }

    @Test
    void putThenGetReturnsTheItemAndProjection() {
        h.put("items", "{'pk':{'S':'a'},'sk':{'N':'1'},'name':{'S':'x'},'m':{'M':{'q':{'N':'2'}}}}");
        assertThat(get("{'pk':{'S':'a'},'sk':{'N':'1.0'}}").get("Item").get("name").get("S").asText()).isEqualTo("x");
        JsonNode projected = h.call("GetItem", "{'TableName':'items','Key':{'pk':{'S':'a'},'sk':{'N':'1'}},"
                + "'ProjectionExpression':'#m.q','ExpressionAttributeNames':{'#m':'m'},'ConsistentRead':true}");
        assertThat(projected.get("Item").toString()).isEqualTo("{\"m\":{\"M\":{\"q\":{\"N\":\"2\"}}}}");
        assertThat(get("{'pk':{'S':'b'},'sk':{'N':'1'}}").has("Item")).isFalse();
    }

    @Test
    void keysAreValidatedWithDynamoDbMessages() {
        h.invalid("PutItem", "{'TableName':'items','Item':{'pk':{'S':'a'}}}",
                "One or more parameter values were invalid: Missing the key sk in the item");
        h.invalid("PutItem", "{'TableName':'items','Item':{'pk':{'N':'1'},'sk':{'N':'1'}}}",
                "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N");
        h.invalid("PutItem", "{'TableName':'items','Item':{'pk':{'S':''},'sk':{'N':'1'}}}",
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
                        + "empty string value. Key: pk");
        h.invalid("GetItem", "{'TableName':'items','Key':{'pk':{'S':'a'}}}",
                "The provided key element does not match the schema");
        h.invalid("GetItem", "{'TableName':'items','Key':{'pk':{'S':'a'},'sk':{'N':'1'},'x':{'S':'y'}}}",
                "The provided key element does not match the schema");
        h.invalid("GetItem", "{'TableName':'items','Key':{'pk':{'S':'a'},'sk':{'S':'1'}}}",
                "The provided key element does not match the schema");
        h.invalid("PutItem", "{'TableName':'items','Item':{'pk':{'S':'" + "x".repeat(2049) + "'},'sk':{'N':'1'}}}",
                "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes");
        h.put("items", "{'pk':{'S':'" + "x".repeat(2048) + "'},'sk':{'N':'1'}}");
    }

    @Test
    void rangeKeyAndItemSizeLimitsAreEnforced() {
        h.createRangeTable("sized", "S", "S");
        h.invalid("PutItem", "{'TableName':'sized','Item':{'pk':{'S':'a'},'sk':{'S':'" + "x".repeat(1025) + "'}}}",
                "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size "
                        + "limit of 1024 bytes");
        // name "pk"(2)+1, "sk"(2)+1, "v"(1)+value: exactly 400 KB is allowed, one byte more is not.
        int fits = 400 * 1024 - 7;
        h.put("sized", "{'pk':{'S':'a'},'sk':{'S':'b'},'v':{'S':'" + "x".repeat(fits) + "'}}");
        h.invalid("PutItem", "{'TableName':'sized','Item':{'pk':{'S':'a'},'sk':{'S':'b'},'v':{'S':'"
                + "x".repeat(fits + 1) + "'}}}", "Item size has exceeded the maximum allowed size");
    }

    @Test
    void conditionsGuardWritesAndCanReturnTheOldItem() {
        String put = "{'TableName':'items','Item':{'pk':{'S':'a'},'sk':{'N':'1'},'v':{'N':'1'}},"
                + "'ConditionExpression':'attribute_not_exists(pk)'}";
        h.call("PutItem", put);
        h.fails("PutItem", put, DynamoError.CONDITIONAL_CHECK_FAILED, "The conditional request failed");
        assertThatThrownBy(() -> h.call("DeleteItem", "{'TableName':'items','Key':{'pk':{'S':'a'},'sk':{'N':'1'}},"
                + "'ConditionExpression':'v = :two','ExpressionAttributeValues':{':two':{'N':'2'}},"
                + "'ReturnValuesOnConditionCheckFailure':'ALL_OLD'}"))
                .isInstanceOfSatisfying(TablesException.class, e -> {
                    assertThat(e.error()).isEqualTo(DynamoError.CONDITIONAL_CHECK_FAILED);
                    assertThat(TablesService.errorBody(e).toString()).isEqualTo("{\"__type\":\"com.amazonaws.dynamodb."
                            + "v20120810#ConditionalCheckFailedException\",\"message\":\"The conditional request failed\","
                            + "\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"v\":{\"N\":\"1\"}}}");
                });
        assertThat(get("{'pk':{'S':'a'},'sk':{'N':'1'}}").has("Item")).isTrue();
        JsonNode deleted = h.call("DeleteItem", "{'TableName':'items','Key':{'pk':{'S':'a'},'sk':{'N':'1'}},"
                + "'ConditionExpression':'v = :one','ExpressionAttributeValues':{':one':{'N':'1'}},'ReturnValues':'ALL_OLD'}");
        assertThat(deleted.get("Attributes").get("v").get("N").asText()).isEqualTo("1");
        assertThat(get("{'pk':{'S':'a'},'sk':{'N':'1'}}").has("Item")).isFalse();
    }

    @Test
    void putReturnsOldItemOnlyWhenAskedAndRefusesUpdateOnlyReturnValues() {
        h.put("items", "{'pk':{'S':'a'},'sk':{'N':'1'},'v':{'S':'old'}}");
        JsonNode replaced = h.call("PutItem", "{'TableName':'items','Item':{'pk':{'S':'a'},'sk':{'N':'1'},'v':{'S':'new'}},"
                + "'ReturnValues':'ALL_OLD','ReturnConsumedCapacity':'TOTAL'}");
        assertThat(replaced.get("Attributes").get("v").get("S").asText()).isEqualTo("old");
        assertThat(replaced.get("ConsumedCapacity").toString()).isEqualTo("{\"TableName\":\"items\",\"CapacityUnits\":1.0}");
        assertThat(h.call("PutItem", "{'TableName':'items','Item':{'pk':{'S':'a'},'sk':{'N':'1'}}}").size()).isZero();
        h.invalid("PutItem", "{'TableName':'items','Item':{'pk':{'S':'a'},'sk':{'N':'1'}},'ReturnValues':'ALL_NEW'}",
                "ReturnValues can only be ALL_OLD or NONE");
        h.invalid("PutItem", "{'TableName':'items','Item':{'pk':{'S':'a'},'sk':{'N':'1'}},'ReturnValues':'SOME'}",
                "1 validation error detected: Value 'SOME' at 'returnValues' failed to satisfy constraint: Member must "
                        + "satisfy enum value set: [NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW]");
    }

    @Test
    void updateCreatesMissingItemsAndReturnsRequestedValues() {
        String key = "'Key':{'pk':{'S':'u'},'sk':{'N':'7'}}";
        JsonNode created = h.call("UpdateItem", "{'TableName':'items'," + key + ",'UpdateExpression':'SET c = :one, d = :d',"
                + "'ExpressionAttributeValues':{':one':{'N':'1'},':d':{'S':'x'}},'ReturnValues':'ALL_NEW'}");
        assertThat(created.get("Attributes").toString()).isEqualTo(
                "{\"pk\":{\"S\":\"u\"},\"sk\":{\"N\":\"7\"},\"c\":{\"N\":\"1\"},\"d\":{\"S\":\"x\"}}");
        JsonNode updatedNew = h.call("UpdateItem", "{'TableName':'items'," + key + ",'UpdateExpression':'SET c = c + :one',"
                + "'ExpressionAttributeValues':{':one':{'N':'1'}},'ReturnValues':'UPDATED_NEW'}");
        assertThat(updatedNew.get("Attributes").toString()).isEqualTo("{\"c\":{\"N\":\"2\"}}");
        JsonNode updatedOld = h.call("UpdateItem", "{'TableName':'items'," + key + ",'UpdateExpression':'REMOVE d',"
                + "'ReturnValues':'UPDATED_OLD'}");
        assertThat(updatedOld.get("Attributes").toString()).isEqualTo("{\"d\":{\"S\":\"x\"}}");
        JsonNode allOld = h.call("UpdateItem", "{'TableName':'items'," + key + ",'UpdateExpression':'SET e = :one',"
                + "'ExpressionAttributeValues':{':one':{'N':'1'}},'ReturnValues':'ALL_OLD'}");
        assertThat(allOld.get("Attributes").toString()).isEqualTo("{\"pk\":{\"S\":\"u\"},\"sk\":{\"N\":\"7\"},\"c\":{\"N\":\"2\"}}");
        h.invalid("UpdateItem", "{'TableName':'items'," + key + ",'UpdateExpression':'SET sk = :one',"
                        + "'ExpressionAttributeValues':{':one':{'N':'1'}}}",
                "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key");
        h.fails("UpdateItem", "{'TableName':'items','Key':{'pk':{'S':'v'},'sk':{'N':'1'}},'UpdateExpression':'SET a = :one',"
                        + "'ConditionExpression':'attribute_exists(pk)','ExpressionAttributeValues':{':one':{'N':'1'}}}",
                DynamoError.CONDITIONAL_CHECK_FAILED, "The conditional request failed");
        assertThat(get("{'pk':{'S':'v'},'sk':{'N':'1'}}").has("Item")).isFalse();
    }

    @Test
    void expressionAttributeValuesAreValidatedAndMustBeUsed() {
        h.invalid("PutItem", "{'TableName':'items','Item':{'pk':{'S':'a'},'sk':{'N':'1'}},'ConditionExpression':"
                        + "'attribute_not_exists(pk)','ExpressionAttributeValues':{':x':{}}}",
                "ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain "
                        + "exactly one of the supported datatypes for key :x");
        h.invalid("PutItem", "{'TableName':'items','Item':{'pk':{'S':'a'},'sk':{'N':'1'}},'ConditionExpression':"
                        + "'attribute_not_exists(pk)','ExpressionAttributeValues':{':x':{'S':'y'}}}",
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}");
    }
}
