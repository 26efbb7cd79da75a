package dev.meridian.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.fabric.RecordCursor;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TimeToLiveTest extends TablesTestCase {
    long now;

    @BeforeEach
    void enableTtlAndWriteItems() {
        h.createHashTable("sessions", "S");
        h.call("UpdateTimeToLive", "{'TableName':'sessions','TimeToLiveSpecification':{'Enabled':true,'AttributeName':'exp'}}");
        now = h.clock.epochSeconds();
        h.put("sessions", "{'pk':{'S':'live'},'exp':{'N':'" + (now + 60) + "'}}");
        h.put("sessions", "{'pk':{'S':'dead'},'exp':{'N':'" + (now - 1) + "'}}");
        h.put("sessions", "{'pk':{'S':'text'},'exp':{'S':'" + (now - 1) + "'}}");
        h.put("sessions", "{'pk':{'S':'ancient'},'exp':{'N':'" + (now - 6L * 365 * 86400) + "'}}");
    }

    @Test
    void expiredItemsAreHiddenFromEveryRead() {
        assertThat(h.call("GetItem", "{'TableName':'sessions','Key':{'pk':{'S':'dead'}}}").has("Item")).isFalse();
        assertThat(h.call("GetItem", "{'TableName':'sessions','Key':{'pk':{'S':'text'}}}").has("Item")).isTrue();
        assertThat(h.call("Scan", "{'TableName':'sessions'}").get("Count").asInt()).isEqualTo(3);
        assertThat(h.call("Query", "{'TableName':'sessions','KeyConditionExpression':'pk = :p',"
                + "'ExpressionAttributeValues':{':p':{'S':'dead'}}}").get("Count").asInt()).isZero();
        assertThat(h.call("BatchGetItem", "{'RequestItems':{'sessions':{'Keys':[{'pk':{'S':'dead'}},{'pk':{'S':'live'}}]}}}")
                .get("Responses").get("sessions").size()).isEqualTo(1);
        h.call("PutItem", "{'TableName':'sessions','Item':{'pk':{'S':'dead'}},'ConditionExpression':'attribute_not_exists(pk)'}");
    }

    @Test
    void sweeperDeletesOnlyExpiredNumberTtlItems() {
        h.clock.advanceSeconds(120);
        h.service.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> storedKeys() == 2);
        assertThat(h.call("GetItem", "{'TableName':'sessions','Key':{'pk':{'S':'text'}}}").has("Item")).isTrue();
        assertThat(h.call("GetItem", "{'TableName':'sessions','Key':{'pk':{'S':'ancient'}}}").has("Item")).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("tables-ttl-sweeper") && t.isDaemon());
    }

    private int storedKeys() {
        String keyspace = TableDefinition.fromBytes(h.fabric.get("tables", "sessions".getBytes()).orElseThrow().value())
                .itemKeyspace();
        int count = 0;
        try (RecordCursor cursor = h.fabric.scan(keyspace, null, null, false)) {
            while (cursor.hasNext()) {
                cursor.next();
                count++;
            }
        }
        return count;
    }
}
