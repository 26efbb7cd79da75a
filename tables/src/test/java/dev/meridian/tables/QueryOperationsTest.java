package dev.meridian.tables;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryOperationsTest extends TablesTestCase {
    private List<String> sortKeys(JsonNode response, String type) {
        var keys = new ArrayList<String>();
        response.get("Items").forEach(item -> keys.add(item.get("sk").get(type).asText()));
        return keys;
    }

    private JsonNode query(String table, String rest) {
        return h.call("Query", "{'TableName':'" + table + "','KeyConditionExpression':'pk = :p'," + rest + "}");
    }

    @Test
    void numericSortKeysComeBackInNumericOrderIncludingNegativesAndDecimals() {
        h.createRangeTable("nums", "S", "N");
        String[] values = {"10", "-1.5", "0", "2", "-10", "0.001", "-0.002", "1E+3", "9.99", "-100"};
        for (String v : values) {
            h.put("nums", "{'pk':{'S':'p'},'sk':{'N':'" + v + "'}}");
        }
        h.put("nums", "{'pk':{'S':'other'},'sk':{'N':'5'}}");
        JsonNode all = query("nums", "'ExpressionAttributeValues':{':p':{'S':'p'}}");
        assertThat(sortKeys(all, "N")).containsExactly("-100", "-10", "-1.5", "-0.002", "0", "0.001", "2", "9.99", "10", "1000");
        assertThat(all.get("Count").asInt()).isEqualTo(10);
        JsonNode reversed = query("nums", "'ExpressionAttributeValues':{':p':{'S':'p'}},'ScanIndexForward':false");
        assertThat(sortKeys(reversed, "N")).containsExactly("1000", "10", "9.99", "2", "0.001", "0", "-0.002", "-1.5", "-10", "-100");
        JsonNode between = h.call("Query", "{'TableName':'nums','KeyConditionExpression':'pk = :p AND sk BETWEEN :a AND :b',"
                + "'ExpressionAttributeValues':{':p':{'S':'p'},':a':{'N':'-10'},':b':{'N':'2'}}}");
        assertThat(sortKeys(between, "N")).containsExactly("-10", "-1.5", "-0.002", "0", "0.001", "2");
        JsonNode lessThan = h.call("Query", "{'TableName':'nums','KeyConditionExpression':'pk = :p AND sk < :z',"
                + "'ExpressionAttributeValues':{':p':{'S':'p'},':z':{'N':'0'}}}");
        assertThat(sortKeys(lessThan, "N")).containsExactly("-100", "-10", "-1.5", "-0.002");
        JsonNode greater = h.call("Query", "{'TableName':'nums','KeyConditionExpression':'pk = :p AND sk > :z',"
                + "'ExpressionAttributeValues':{':p':{'S':'p'},':z':{'N':'9.99'}},'ScanIndexForward':false}");
        assertThat(sortKeys(greater, "N")).containsExactly("1000", "10");
    }

    @Test
    void stringAndBinarySortKeysFollowByteOrderAndBeginsWith() {
        h.createRangeTable("strs", "S", "S");
        for (String v : new String[] {"b", "a", "ab", "abc", "B", "é", "ac"}) {
            h.put("strs", "{'pk':{'S':'p'},'sk':{'S':'" + v + "'}}");
        }
        assertThat(sortKeys(query("strs", "'ExpressionAttributeValues':{':p':{'S':'p'}}"), "S"))
                .containsExactly("B", "a", "ab", "abc", "ac", "b", "é");
        JsonNode prefix = h.call("Query", "{'TableName':'strs','KeyConditionExpression':'pk = :p AND begins_with(sk, :a)',"
                + "'ExpressionAttributeValues':{':p':{'S':'p'},':a':{'S':'ab'}}}");
        assertThat(sortKeys(prefix, "S")).containsExactly("ab", "abc");
        JsonNode atMost = h.call("Query", "{'TableName':'strs','KeyConditionExpression':'pk = :p AND sk <= :a',"
                + "'ExpressionAttributeValues':{':p':{'S':'p'},':a':{'S':'ab'}}}");
        assertThat(sortKeys(atMost, "S")).containsExactly("B", "a", "ab");

        h.createRangeTable("bins", "S", "B");
        for (String v : new String[] {"/w==", "AA==", "AAE=", "gA==", "fw=="}) {
            h.put("bins", "{'pk':{'S':'p'},'sk':{'B':'" + v + "'}}");
        }
        assertThat(sortKeys(query("bins", "'ExpressionAttributeValues':{':p':{'S':'p'}}"), "B"))
                .containsExactly("AA==", "AAE=", "fw==", "gA==", "/w==");
    }

    @Test
    void limitPagesWithLastEvaluatedKeyAndFilterAppliesAfterTheLimit() {
        h.createRangeTable("pages", "S", "N");
        for (int i = 1; i <= 5; i++) {
            h.put("pages", "{'pk':{'S':'p'},'sk':{'N':'" + i + "'},'even':{'BOOL':" + (i % 2 == 0) + "}}");
        }
        String filter = "'FilterExpression':'even = :t','ExpressionAttributeValues':{':p':{'S':'p'},':t':{'BOOL':true}}";
        JsonNode first = query("pages", filter + ",'Limit':3");
        assertThat(first.get("ScannedCount").asInt()).isEqualTo(3);
        assertThat(first.get("Count").asInt()).isEqualTo(1);
        assertThat(sortKeys(first, "N")).containsExactly("2");
        assertThat(first.get("LastEvaluatedKey").toString()).isEqualTo("{\"pk\":{\"S\":\"p\"},\"sk\":{\"N\":\"3\"}}");
        JsonNode second = query("pages", filter + ",'Limit':3,'ExclusiveStartKey':" + first.get("LastEvaluatedKey"));
        assertThat(sortKeys(second, "N")).containsExactly("4");
        assertThat(second.get("ScannedCount").asInt()).isEqualTo(2);
        assertThat(second.has("LastEvaluatedKey")).isFalse();
        JsonNode backwards = query("pages", "'ExpressionAttributeValues':{':p':{'S':'p'}},'ScanIndexForward':false,"
                + "'Limit':2,'ExclusiveStartKey':{'pk':{'S':'p'},'sk':{'N':'4'}}");
        assertThat(sortKeys(backwards, "N")).containsExactly("3", "2");
        h.invalid("Query", "{'TableName':'pages','KeyConditionExpression':'pk = :p','ExpressionAttributeValues':"
                        + "{':p':{'S':'p'}},'ExclusiveStartKey':{'pk':{'S':'q'},'sk':{'N':'1'}}}",
                "The provided starting key is outside query boundaries based on provided conditions");
        h.invalid("Query", "{'TableName':'pages','KeyConditionExpression':'pk = :p','ExpressionAttributeValues':"
                        + "{':p':{'S':'p'}},'ExclusiveStartKey':{'pk':{'S':'p'}}}",
                "The provided starting key is invalid: The provided key element does not match the schema");
    }

    @Test
    void selectCountAndProjectionShapeTheResponse() {
        h.createRangeTable("sel", "S", "N");
        h.put("sel", "{'pk':{'S':'p'},'sk':{'N':'1'},'a':{'S':'x'},'b':{'S':'y'}}");
        JsonNode count = query("sel", "'ExpressionAttributeValues':{':p':{'S':'p'}},'Select':'COUNT'");
        assertThat(count.has("Items")).isFalse();
        assertThat(count.get("Count").asInt()).isEqualTo(1);
        JsonNode projected = query("sel", "'ExpressionAttributeValues':{':p':{'S':'p'}},'ProjectionExpression':'a'");
        assertThat(projected.get("Items").get(0).toString()).isEqualTo("{\"a\":{\"S\":\"x\"}}");
        h.invalid("Query", "{'TableName':'sel','KeyConditionExpression':'pk = :p','ExpressionAttributeValues':"
                        + "{':p':{'S':'p'}},'Select':'COUNT','ProjectionExpression':'a'}",
                "Cannot specify the ProjectionExpression when choosing to get only the Count");
        h.invalid("Query", "{'TableName':'sel','KeyConditionExpression':'pk = :p','ExpressionAttributeValues':"
                        + "{':p':{'N':'1'}}}",
                "One or more parameter values were invalid: Condition parameter type does not match schema type");
        h.invalid("Query", "{'TableName':'sel','KeyConditionExpression':'pk = :p','ExpressionAttributeValues':"
                + "{':p':{'S':'p'}},'Limit':0}", "1 validation error detected: Value '0' at 'limit' failed to satisfy "
                + "constraint: Member must have value greater than or equal to 1");
    }

    @Test
    void pagesStopAtOneMegabyte() {
        h.createRangeTable("big", "S", "N");
        String blob = "x".repeat(300 * 1024);
        for (int i = 0; i < 5; i++) {
            h.put("big", "{'pk':{'S':'p'},'sk':{'N':'" + i + "'},'v':{'S':'" + blob + "'}}");
        }
        JsonNode first = query("big", "'ExpressionAttributeValues':{':p':{'S':'p'}},'Select':'COUNT'");
        assertThat(first.get("ScannedCount").asInt()).isEqualTo(4);
        assertThat(first.get("LastEvaluatedKey").get("sk").get("N").asText()).isEqualTo("3");
        JsonNode scan = h.call("Scan", "{'TableName':'big','Select':'COUNT','ExclusiveStartKey':"
                + first.get("LastEvaluatedKey") + "}");
        assertThat(scan.get("ScannedCount").asInt()).isEqualTo(1);
        assertThat(scan.has("LastEvaluatedKey")).isFalse();
    }

    @Test
    void parallelScanSegmentsPartitionTheTable() {
        h.createHashTable("seg", "S");
        for (int i = 0; i < 40; i++) {
            h.put("seg", "{'pk':{'S':'k" + i + "'}}");
        }
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (int segment = 0; segment < 4; segment++) {
            JsonNode page = h.call("Scan", "{'TableName':'seg','Segment':" + segment + ",'TotalSegments':4}");
            page.get("Items").forEach(item -> seen.add(item.get("pk").get("S").asText()));
            total += page.get("Count").asInt();
            assertThat(page.get("Count").asInt()).isLessThan(40);
        }
        assertThat(total).isEqualTo(40);
        assertThat(seen).hasSize(40);
        h.invalid("Scan", "{'TableName':'seg','Segment':4,'TotalSegments':4}", "The Segment parameter is zero-based "
                + "and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4");
        h.invalid("Scan", "{'TableName':'seg','TotalSegments':4}", "The Segment parameter is required but was not "
                + "present in the request when parameter TotalSegments is present");
        h.invalid("Scan", "{'TableName':'seg','Segment':0,'TotalSegments':1000001}", "1 validation error detected: "
                + "Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must have value less than or "
                + "equal to 1000000");
    }

    @Test
    void scanPagesThroughEveryItemOnce() {
        h.createHashTable("all", "N");
        for (int i = 0; i < 25; i++) {
            h.put("all", "{'pk':{'N':'" + i + "'}}");
        }
        Set<String> seen = new HashSet<>();
        String start = "";
        for (int pages = 0; pages < 10; pages++) {
            JsonNode page = h.call("Scan", "{'TableName':'all','Limit':10" + start + "}");
            page.get("Items").forEach(item -> assertThat(seen.add(item.get("pk").get("N").asText())).isTrue());
            if (!page.has("LastEvaluatedKey")) {
                break;
            }
            start = ",'ExclusiveStartKey':" + page.get("LastEvaluatedKey");
        }
        assertThat(seen).hasSize(25);
    }
}
