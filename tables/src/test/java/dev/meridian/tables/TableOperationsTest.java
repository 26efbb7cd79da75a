package dev.meridian.tables;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class TableOperationsTest extends TablesTestCase {
    @Test
    void createdTableIsDescribedAsTheSdkExpects() {
        h.createRangeTable("orders", "S", "N");
        h.put("orders", "{'pk':{'S':'a'},'sk':{'N':'1'},'x':{'S':'hello'}}");
        JsonNode table = h.call("DescribeTable", "{'TableName':'orders'}").get("Table");
        assertThat(table.get("TableName").asText()).isEqualTo("orders");
        assertThat(table.get("TableStatus").asText()).isEqualTo("ACTIVE");
        assertThat(table.get("KeySchema").toString())
                .isEqualTo("[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}]");
        assertThat(table.get("AttributeDefinitions").get(1).get("AttributeType").asText()).isEqualTo("N");
        assertThat(table.get("CreationDateTime").isNumber()).isTrue();
        assertThat(table.get("CreationDateTime").asLong()).isEqualTo(h.clock.epochSeconds());
        assertThat(table.get("ItemCount").asLong()).isEqualTo(1);
        assertThat(table.get("TableSizeBytes").asLong()).isEqualTo(2 + 1 + 2 + 2 + 1 + 5);
        assertThat(table.get("TableArn").asText()).isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/orders");
        assertThat(table.get("TableId").asText()).isNotEmpty();
        assertThat(table.get("BillingModeSummary").get("BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
        assertThat(table.get("ProvisionedThroughput").get("ReadCapacityUnits").asLong()).isZero();
    }

    @Test
    void createTableRefusesExistingNamesAndBadSchemas() {
        h.createHashTable("t1x", "S");
        h.fails("CreateTable", "{'TableName':'t1x','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                        + "[{'AttributeName':'pk','AttributeType':'S'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}",
                DynamoError.RESOURCE_IN_USE, "Table already exists: t1x");
        h.invalid("CreateTable", "{'TableName':'t2x','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                        + "[{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'x','AttributeType':'S'}],"
                        + "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}",
                "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match "
                        + "number of attributes defined in AttributeDefinitions");
        h.invalid("CreateTable", "{'TableName':'t2x','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                        + "[{'AttributeName':'pk','AttributeType':'S'}],"
                        + "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}]}",
                "Invalid KeySchema: Some index key attribute have no definition");
        h.invalid("CreateTable", "{'TableName':'t2x','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                        + "[{'AttributeName':'a','AttributeType':'S'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}",
                "One or more parameter values were invalid: Some index key attributes are not defined in "
                        + "AttributeDefinitions. Keys: [pk], AttributeDefinitions: [a]");
        h.invalid("CreateTable", "{'TableName':'t2x','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                        + "[{'AttributeName':'pk','AttributeType':'BOOL'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}",
                "1 validation error detected: Value 'BOOL' at 'attributeDefinitions.member.1.attributeType' failed to "
                        + "satisfy constraint: Member must satisfy enum value set: [B, N, S]");
        h.invalid("CreateTable", "{'TableName':'t2x','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                        + "[{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'sk','AttributeType':'S'}],"
                        + "'KeySchema':[{'AttributeName':'sk','KeyType':'RANGE'},{'AttributeName':'pk','KeyType':'HASH'}]}",
                "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        h.invalid("CreateTable", "{'TableName':'t2x','AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'}],"
                        + "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}",
                "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be "
                        + "specified when BillingMode is PROVISIONED");
        h.invalid("CreateTable", "{'TableName':'t2x','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                        + "[{'AttributeName':'pk','AttributeType':'S'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}],"
                        + "'GlobalSecondaryIndexes':[{'IndexName':'gsi','KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}],"
                        + "'Projection':{'ProjectionType':'ALL'}}]}",
                "Secondary indexes are not supported yet: create the table without GlobalSecondaryIndexes and "
                        + "LocalSecondaryIndexes");
    }

    @Test
    void tableNamesFollowDynamoDbRules() {
        h.invalid("DescribeTable", "{'TableName':'ab'}", "1 validation error detected: Value 'ab' at 'tableName' failed "
                + "to satisfy constraint: Member must have length greater than or equal to 3");
        h.invalid("DescribeTable", "{'TableName':'a!'}", "2 validation errors detected: Value 'a!' at 'tableName' "
                + "failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
                + "Value 'a!' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3");
        h.invalid("DescribeTable", "{}", "1 validation error detected: Value null at 'tableName' failed to satisfy "
                + "constraint: Member must not be null");
        h.fails("DescribeTable", "{'TableName':'nope'}", DynamoError.RESOURCE_NOT_FOUND,
                "Requested resource not found: Table: nope not found");
        h.fails("GetItem", "{'TableName':'nope','Key':{'pk':{'S':'a'}}}", DynamoError.RESOURCE_NOT_FOUND,
                "Requested resource not found");
    }

    @Test
    void listTablesPagesInNameOrder() {
        for (String name : new String[] {"ccc", "aaa", "bbb", "ddd"}) {
            h.createHashTable(name, "S");
        }
        JsonNode first = h.call("ListTables", "{'Limit':3}");
        assertThat(first.get("TableNames").toString()).isEqualTo("[\"aaa\",\"bbb\",\"ccc\"]");
        assertThat(first.get("LastEvaluatedTableName").asText()).isEqualTo("ccc");
        JsonNode second = h.call("ListTables", "{'Limit':3,'ExclusiveStartTableName':'ccc'}");
        assertThat(second.get("TableNames").toString()).isEqualTo("[\"ddd\"]");
        assertThat(second.has("LastEvaluatedTableName")).isFalse();
        h.invalid("ListTables", "{'Limit':101}", "1 validation error detected: Value '101' at 'limit' failed to "
                + "satisfy constraint: Member must have value less than or equal to 100");
    }

    @Test
    void recreatedTableDoesNotSeeTheOldTablesItems() {
        h.createHashTable("again", "S");
        h.put("again", "{'pk':{'S':'a'}}");
        JsonNode deleted = h.call("DeleteTable", "{'TableName':'again'}").get("TableDescription");
        assertThat(deleted.get("TableStatus").asText()).isEqualTo("DELETING");
        h.fails("Scan", "{'TableName':'again'}", DynamoError.RESOURCE_NOT_FOUND, "Requested resource not found");
        h.createHashTable("again", "S");
        assertThat(h.call("Scan", "{'TableName':'again'}").get("Count").asInt()).isZero();
    }

    @Test
    void timeToLiveIsEnabledOnceAndDescribed() {
        h.createHashTable("ttl", "S");
        assertThat(h.call("DescribeTimeToLive", "{'TableName':'ttl'}").toString())
                .isEqualTo("{\"TimeToLiveDescription\":{\"TimeToLiveStatus\":\"DISABLED\"}}");
        JsonNode updated = h.call("UpdateTimeToLive",
                "{'TableName':'ttl','TimeToLiveSpecification':{'Enabled':true,'AttributeName':'exp'}}");
        assertThat(updated.toString()).isEqualTo("{\"TimeToLiveSpecification\":{\"Enabled\":true,\"AttributeName\":\"exp\"}}");
        assertThat(h.call("DescribeTimeToLive", "{'TableName':'ttl'}").toString())
                .isEqualTo("{\"TimeToLiveDescription\":{\"TimeToLiveStatus\":\"ENABLED\",\"AttributeName\":\"exp\"}}");
        h.invalid("UpdateTimeToLive", "{'TableName':'ttl','TimeToLiveSpecification':{'Enabled':true,'AttributeName':'exp'}}",
                "TimeToLive is already enabled");
        h.call("UpdateTimeToLive", "{'TableName':'ttl','TimeToLiveSpecification':{'Enabled':false,'AttributeName':'exp'}}");
        h.invalid("UpdateTimeToLive", "{'TableName':'ttl','TimeToLiveSpecification':{'Enabled':false,'AttributeName':'exp'}}",
                "TimeToLive is already disabled");
    }

    @Test
    void unknownOperationsAndMalformedShapesAreClientErrors() {
        h.fails("Frobnicate", "{}", DynamoError.UNKNOWN_OPERATION, "Operation Frobnicate is not supported");
        h.fails("DescribeTable", "{'TableName':{'a':1}}", DynamoError.SERIALIZATION,
                "Start of structure or map found where not expected.");
        h.fails("CreateTable", "{'TableName':'abc','AttributeDefinitions':[],'KeySchema':{}}", DynamoError.SERIALIZATION,
                "Start of structure or map found where not expected.");
    }
}
