package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meridian.testkit.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.MultiRegionConsistency;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Strong tables (DynamoDB's multi-Region strong consistency) across three real region processes whose control-plane
 * members agree writes over the WAN emulator, without the SQL layer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrongTablesTest {
    static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-1");

    @TempDir
    Path dir;

    LocalCluster cluster;
    final Map<String, DynamoDbClient> clients = new HashMap<>();
    /** Clients that do not retry, to see a refusal as the server answered it. */
    final Map<String, DynamoDbClient> once = new HashMap<>();

    @BeforeAll
    void startCluster() throws InterruptedException {
        cluster = LocalCluster.builder().regions(REGIONS).dataRoot(dir).basePort(0).controlPlane().start();
        for (String region : REGIONS) {
            clients.put(region, Sdk.dynamo(cluster.endpoint(region), region));
            once.put(region, Sdk.dynamo(cluster.endpoint(region), region,
                    c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())));
        }
    }

    @AfterAll
    void stopCluster() {
        clients.values().forEach(DynamoDbClient::close);
        once.values().forEach(DynamoDbClient::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    DynamoDbClient in(String region) {
        return clients.get(region);
    }

    void createStrongTable(String name) {
        in("us-east-1").createTable(b -> b.tableName(name)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        for (String region : REGIONS) {
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> in(region).describeTable(b -> b.tableName(name)).table() != null);
        }
        // A strong write may be retried through an election right after the cluster starts.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> in("eu-west-1")
                .updateTable(b -> b.tableName(name).multiRegionConsistency(MultiRegionConsistency.STRONG))
                .tableDescription().multiRegionConsistency() == MultiRegionConsistency.STRONG);
        for (String region : REGIONS) {
            await().atMost(Duration.ofSeconds(10)).until(() -> in(region).describeTable(b -> b.tableName(name)).table()
                    .multiRegionConsistency() == MultiRegionConsistency.STRONG);
        }
    }

    static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk));
    }

    Map<String, AttributeValue> consistentGet(String region, String table, String pk) {
        return in(region).getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true)).item();
    }

    @Test
    void aConsistentReadInAnyRegionSeesTheWriteJustMadeInAnother() {
        createStrongTable("accounts");
        for (int i = 0; i < 12; i++) {
            String writer = REGIONS.get(i % 3);
            String reader = REGIONS.get((i + 1) % 3);
            String value = "v" + i;
            in(writer).putItem(b -> b.tableName("accounts")
                    .item(Map.of("pk", AttributeValue.fromS("acct"), "value", AttributeValue.fromS(value))));
            // No waiting: the read begins after the write was acknowledged, so it must see it.
            assertThat(consistentGet(reader, "accounts", "acct").get("value").s()).as("read %d in %s", i, reader)
                    .isEqualTo(value);
        }
    }

    @Test
    void concurrentConditionalIncrementsFromEveryRegionLoseNothing() throws Exception {
        createStrongTable("counters");
        in("us-east-1").putItem(b -> b.tableName("counters")
                .item(Map.of("pk", AttributeValue.fromS("c"), "n", AttributeValue.fromN("0"))));
        int perWorker = 8;
        ExecutorService workers = Executors.newFixedThreadPool(6);
        try {
            var done = new ArrayList<Future<Integer>>();
            for (int w = 0; w < 6; w++) {
                String region = REGIONS.get(w % 3);
                done.add(workers.submit(() -> increment(region, perWorker)));
            }
            int made = 0;
            for (Future<Integer> future : done) {
                made += future.get();
            }
            assertThat(made).isEqualTo(6 * perWorker);
            for (String region : REGIONS) {
                assertThat(consistentGet(region, "counters", "c").get("n").n()).isEqualTo(String.valueOf(made));
            }
        } finally {
            workers.shutdownNow();
        }
    }

    /** Reads the counter, then writes it plus one on condition it is unchanged; retries lost races. */
    private int increment(String region, int times) {
        int made = 0;
        while (made < times) {
            String n = consistentGet(region, "counters", "c").get("n").n();
            try {
                in(region).putItem(b -> b.tableName("counters")
                        .item(Map.of("pk", AttributeValue.fromS("c"),
                                "n", AttributeValue.fromN(String.valueOf(Long.parseLong(n) + 1))))
                        .conditionExpression("n = :seen")
                        .expressionAttributeValues(Map.of(":seen", AttributeValue.fromN(n))));
                made++;
            } catch (ConditionalCheckFailedException lostTheRace) {
                // another writer moved it first: read again
            }
        }
        return made;
    }

    @Test
    void aRegionCutOffFromTheMajorityRefusesStrongWritesAndStillServesEventualReads() {
        createStrongTable("ledger");
        in("us-east-1").putItem(b -> b.tableName("ledger")
                .item(Map.of("pk", AttributeValue.fromS("k"), "value", AttributeValue.fromS("before"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> "before".equals(
                in("ap-southeast-1").getItem(b -> b.tableName("ledger").key(key("k"))).item()
                        .getOrDefault("value", AttributeValue.fromS("")).s()));
        cluster.wan().cut("ap-southeast-1", "us-east-1");
        cluster.wan().cut("ap-southeast-1", "eu-west-1");
        try {
            assertThatThrownBy(() -> once.get("ap-southeast-1").putItem(b -> b.tableName("ledger")
                    .item(Map.of("pk", AttributeValue.fromS("k"), "value", AttributeValue.fromS("minority")))))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                        // A status and code the SDK's standard retry policy retries.
                        assertThat(e.statusCode()).isEqualTo(503);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
                    });
            assertThatThrownBy(() -> once.get("ap-southeast-1").getItem(b -> b.tableName("ledger").key(key("k"))
                    .consistentRead(true)))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
            assertThat(in("ap-southeast-1").getItem(b -> b.tableName("ledger").key(key("k"))).item().get("value").s())
                    .isEqualTo("before");
            // The majority goes on.
            in("eu-west-1").putItem(b -> b.tableName("ledger")
                    .item(Map.of("pk", AttributeValue.fromS("k"), "value", AttributeValue.fromS("majority"))));
            assertThat(consistentGet("us-east-1", "ledger", "k").get("value").s()).isEqualTo("majority");
        } finally {
            cluster.wan().heal("ap-southeast-1", "us-east-1");
            cluster.wan().heal("ap-southeast-1", "eu-west-1");
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> "majority".equals(consistentGet("ap-southeast-1", "ledger", "k").get("value").s()));
    }

    @Test
    void updateTableRefusesWhatStrongTablesCannotDo() {
        createStrongTable("settings");
        assertThatThrownBy(() -> in("us-east-1").updateTable(b -> b.tableName("settings")
                .multiRegionConsistency(MultiRegionConsistency.EVENTUAL)))
                .isInstanceOfSatisfying(DynamoDbException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> in("us-east-1").updateTimeToLive(b -> b.tableName("settings")
                .timeToLiveSpecification(t -> t.enabled(true).attributeName("expires"))))
                .isInstanceOfSatisfying(DynamoDbException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));

        in("us-east-1").createTable(b -> b.tableName("filled")
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        in("us-east-1").putItem(b -> b.tableName("filled").item(key("x")));
        assertThatThrownBy(() -> in("us-east-1").updateTable(b -> b.tableName("filled")
                .multiRegionConsistency(MultiRegionConsistency.STRONG)))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.getMessage()).contains("empty");
                });
        assertThat(in("us-east-1").describeTable(b -> b.tableName("filled")).table().multiRegionConsistency())
                .isEqualTo(MultiRegionConsistency.EVENTUAL);
    }
}
