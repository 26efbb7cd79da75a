package dev.meridian.tables;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchOperationsTest extends TablesTestCase {
    @BeforeEach
    void createTables() {
        h.createHashTable("one", "S");
        h.createHashTable("two", "N");
    }

    @Test
    void batchWriteThenBatchGetAcrossTables() {
        JsonNode written = h.call("BatchWriteItem", "{'RequestItems':{'one':[{'PutRequest':{'Item':{'pk':{'S':'a'},'v':{'N':'1'}}}},"
                + "{'PutRequest':{'Item':{'pk':{'S':'b'}}}}],'two':[{'PutRequest':{'Item':{'pk':{'N':'1'}}}}]},"
                + "'ReturnConsumedCapacity':'TOTAL'}");
        assertThat(written.get("UnprocessedItems").toString()).isEqualTo("{}");
        assertThat(written.get("ConsumedCapacity").toString()).isEqualTo("[{\"TableName\":\"one\",\"CapacityUnits\":2.0},"
                + "{\"TableName\":\"two\",\"CapacityUnits\":1.0}]");
        h.call("BatchWriteItem", "{'RequestItems':{'one':[{'DeleteRequest':{'Key':{'pk':{'S':'b'}}}}]}}");
        JsonNode got = h.call("BatchGetItem", "{'RequestItems':{'one':{'Keys':[{'pk':{'S':'a'}},{'pk':{'S':'b'}}],"
                + "'ProjectionExpression':'v'},'two':{'Keys':[{'pk':{'N':'1'}}]}}}");
        assertThat(got.get("Responses").get("one").toString()).isEqualTo("[{\"v\":{\"N\":\"1\"}}]");
        assertThat(got.get("Responses").get("two").toString()).isEqualTo("[{\"pk\":{\"N\":\"1\"}}]");
        assertThat(got.get("UnprocessedKeys").toString()).isEqualTo("{}");
    }

    @Test
    void batchesRefuseDuplicatesAndOversizedRequests() {
        h.invalid("BatchWriteItem", "{'RequestItems':{'one':[{'PutRequest':{'Item':{'pk':{'S':'a'}}}},"
                + "{'DeleteRequest':{'Key':{'pk':{'S':'a'}}}}]}}", "Provided list of item keys contains duplicates");
        h.invalid("BatchGetItem", "{'RequestItems':{'one':{'Keys':[{'pk':{'S':'a'}},{'pk':{'S':'a'}}]}}}",
                "Provided list of item keys contains duplicates");
        StringBuilder writes = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            writes.append(i == 0 ? "" : ",").append("{'PutRequest':{'Item':{'pk':{'S':'k").append(i).append("'}}}}");
        }
        h.invalid("BatchWriteItem", "{'RequestItems':{'one':[" + writes + "]}}",
                "Too many items requested for the BatchWriteItem call");
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            keys.append(i == 0 ? "" : ",").append("{'pk':{'S':'k").append(i).append("'}}");
        }
        h.invalid("BatchGetItem", "{'RequestItems':{'one':{'Keys':[" + keys + "]}}}",
                "Too many items requested for the BatchGetItem call");
        h.invalid("BatchWriteItem", "{'RequestItems':{'one':[{'PutRequest':{'Item':{'pk':{'S':'ok'}}}},"
                + "{'PutRequest':{'Item':{'x':{'S':'a'}}}}]}}", "One or more parameter values were invalid: Missing the key pk in the item");
        assertThat(h.call("GetItem", "{'TableName':'one','Key':{'pk':{'S':'ok'}}}").has("Item"))
                .as("a batch that fails validation writes nothing").isFalse();
    }
}
