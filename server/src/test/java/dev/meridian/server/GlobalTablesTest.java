package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.testkit.LocalCluster;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

/** Global tables across three real region processes talking through the WAN emulator with realistic delays. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GlobalTablesTest {
    static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-1");

    @TempDir
    Path dir;

    LocalCluster cluster;
    final Map<String, DynamoDbClient> clients = new HashMap<>();

    @BeforeAll
    void startCluster() throws InterruptedException {
        cluster = LocalCluster.builder().regions(REGIONS).dataRoot(dir).basePort(0).start();
        for (String region : REGIONS) {
            clients.put(region, Sdk.dynamo(cluster.endpoint(region), region));
        }
    }

    @AfterAll
    void stopCluster() {
        clients.values().forEach(DynamoDbClient::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    DynamoDbClient in(String region) {
        return clients.get(region);
    }

    void createTable(String region, String name) {
        in(region).createTable(b -> b.tableName(name)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        for (String other : REGIONS) {
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> in(other).describeTable(b -> b.tableName(name)).table().tableName().equals(name));
        }
    }

    static Map<String, AttributeValue> item(String pk, String value) {
        return Map.of("pk", AttributeValue.fromS(pk), "value", AttributeValue.fromS(value));
    }

    Map<String, AttributeValue> get(String region, String table, String pk) {
        return in(region).getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk)))).item();
    }

    @Test
    void aWriteInOneRegionIsReadInEveryOther() {
        createTable("us-east-1", "sessions");
        in("us-east-1").putItem(b -> b.tableName("sessions").item(item("user-1", "logged-in")));
        for (String region : REGIONS) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> "logged-in".equals(get(region, "sessions", "user-1").getOrDefault("value", AttributeValue.fromS("")).s()));
        }
        in("ap-southeast-1").deleteItem(b -> b.tableName("sessions").key(Map.of("pk", AttributeValue.fromS("user-1"))));
        for (String region : REGIONS) {
            await().atMost(Duration.ofSeconds(10)).until(() -> get(region, "sessions", "user-1").isEmpty());
        }
    }

    @Test
    void concurrentConflictingWritesConvergeToOneWinnerEverywhere() throws Exception {
        createTable("eu-west-1", "conflicts");
        ExecutorService pool = Executors.newFixedThreadPool(REGIONS.size());
        try {
            var writers = new ArrayList<CompletableFuture<Void>>();
            for (String region : REGIONS) {
                writers.add(CompletableFuture.runAsync(() -> {
                    for (int round = 0; round < 40; round++) {
                        String pk = "key-" + (round % 10);
                        String value = region + "-" + round;
                        in(region).putItem(b -> b.tableName("conflicts").item(item(pk, value)));
                    }
                }, pool));
            }
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();
        } finally {
            pool.shutdown();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (int k = 0; k < 10; k++) {
                String pk = "key-" + k;
                Map<String, AttributeValue> winner = get("us-east-1", "conflicts", pk);
                assertThat(winner).isNotEmpty();
                for (String region : REGIONS) {
                    assertThat(get(region, "conflicts", pk)).as("%s in %s", pk, region).isEqualTo(winner);
                }
            }
        });
    }

    @Test
    void aDeleteOfAnItemThatHasNotArrivedYetStillWinsWhenItArrives() {
        createTable("us-east-1", "late");
        cluster.wan().cut("us-east-1", "eu-west-1");
        try {
            in("us-east-1").putItem(b -> b.tableName("late").item(item("user-1", "written first")));
            // eu-west-1 has not got the write; its delete comes later, so it must win everywhere once the link heals.
            assertThat(get("eu-west-1", "late", "user-1")).isEmpty();
            in("eu-west-1").deleteItem(b -> b.tableName("late").key(Map.of("pk", AttributeValue.fromS("user-1"))));
        } finally {
            cluster.wan().heal("us-east-1", "eu-west-1");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String region : REGIONS) {
                assertThat(get(region, "late", "user-1")).as(region).isEmpty();
            }
        });
        // and stays gone: the write reaches eu-west-1 only after the tombstone it loses to
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> REGIONS.stream().allMatch(region -> get(region, "late", "user-1").isEmpty()));
        // Leave the link as the next test expects it: streaming again (a healed stream reconnects within its backoff).
        in("us-east-1").putItem(b -> b.tableName("late").item(item("probe", "p")));
        await().atMost(Duration.ofSeconds(30)).until(() -> !get("eu-west-1", "late", "probe").isEmpty());
    }

    @Test
    void writesOnBothSidesOfACutLinkConvergeAfterHeal() {
        createTable("us-east-1", "partitioned");
        cluster.wan().cut("us-east-1", "eu-west-1");
        try {
            for (int i = 0; i < 20; i++) {
                int n = i;
                in("us-east-1").putItem(b -> b.tableName("partitioned").item(item("east-" + n, "e" + n)));
                in("eu-west-1").putItem(b -> b.tableName("partitioned").item(item("west-" + n, "w" + n)));
                in("us-east-1").putItem(b -> b.tableName("partitioned").item(item("both-" + n, "east")));
                in("eu-west-1").putItem(b -> b.tableName("partitioned").item(item("both-" + n, "west")));
            }
            // Singapore still hears from both sides; the two cut regions do not hear from each other.
            await().atMost(Duration.ofSeconds(10)).until(() -> !get("ap-southeast-1", "partitioned", "east-19").isEmpty()
                    && !get("ap-southeast-1", "partitioned", "west-19").isEmpty());
            assertThat(get("eu-west-1", "partitioned", "east-19")).isEmpty();
            assertThat(get("us-east-1", "partitioned", "west-19")).isEmpty();
        } finally {
            cluster.wan().heal("us-east-1", "eu-west-1");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int i = 0; i < 20; i++) {
                Map<String, AttributeValue> both = get("ap-southeast-1", "partitioned", "both-" + i);
                for (String region : REGIONS) {
                    assertThat(get(region, "partitioned", "east-" + i)).isEqualTo(item("east-" + i, "e" + i));
                    assertThat(get(region, "partitioned", "west-" + i)).isEqualTo(item("west-" + i, "w" + i));
                    assertThat(get(region, "partitioned", "both-" + i)).isEqualTo(both);
                }
            }
        });
    }

    @Test
    void writesAcrossABlackHoledLinkArriveAfterHeal() throws Exception {
        createTable("us-east-1", "blackholed");
        cluster.wan().blackhole("us-east-1", "ap-southeast-1");
        try {
            for (int i = 0; i < 30; i++) {
                int n = i;
                in("us-east-1").putItem(b -> b.tableName("blackholed").item(item("k" + n, "v" + n)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !get("eu-west-1", "blackholed", "k29").isEmpty());
            // Long enough for the sender to notice the silence and start reconnecting into the black hole.
            Thread.sleep(5_000);
            assertThat(get("ap-southeast-1", "blackholed", "k29")).isEmpty();
        } finally {
            cluster.wan().heal("us-east-1", "ap-southeast-1");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int i = 0; i < 30; i++) {
                assertThat(get("ap-southeast-1", "blackholed", "k" + i)).isEqualTo(item("k" + i, "v" + i));
            }
        });
    }

    @Test
    void ttlExpiryHidesTheItemAndItsDeleteReplicates() {
        createTable("us-east-1", "tokens");
        in("us-east-1").updateTimeToLive(b -> b.tableName("tokens").timeToLiveSpecification(
                TimeToLiveSpecification.builder().enabled(true).attributeName("expiresAt").build()));
        long soon = System.currentTimeMillis() / 1000 + 6;
        in("us-east-1").putItem(b -> b.tableName("tokens").item(Map.of(
                "pk", AttributeValue.fromS("refresh-1"), "expiresAt", AttributeValue.fromN(Long.toString(soon)))));
        in("us-east-1").putItem(b -> b.tableName("tokens").item(Map.of(
                "pk", AttributeValue.fromS("refresh-2"), "expiresAt", AttributeValue.fromN(Long.toString(soon + 3600)))));
        for (String region : REGIONS) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !get(region, "tokens", "refresh-1").isEmpty());
            assertThat(in(region).describeTimeToLive(b -> b.tableName("tokens")).timeToLiveDescription().attributeName())
                    .isEqualTo("expiresAt");
        }
        for (String region : REGIONS) {
            await().atMost(Duration.ofSeconds(15)).until(() -> get(region, "tokens", "refresh-1").isEmpty());
            // ItemCount counts stored items, expired or not: it drops only when the replicated delete arrives.
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> in(region).describeTable(b -> b.tableName("tokens")).table().itemCount() == 1L);
            assertThat(get(region, "tokens", "refresh-2")).isNotEmpty();
        }
    }

    @Test
    void theAwsCliCreatesInOneRegionAndReadsInAnother() throws Exception {
        AwsCli.requireInstalled();
        AwsCli.run(cluster.endpoint("us-east-1"), "us-east-1", "dynamodb", "create-table", "--table-name", "cli",
                "--attribute-definitions", "AttributeName=pk,AttributeType=S", "AttributeName=sk,AttributeType=N",
                "--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE",
                "--billing-mode", "PAY_PER_REQUEST");
        AwsCli.run(cluster.endpoint("us-east-1"), "us-east-1", "dynamodb", "put-item", "--table-name", "cli",
                "--item", "{\"pk\":{\"S\":\"user-1\"},\"sk\":{\"N\":\"1\"},\"token\":{\"S\":\"abc\"}}");
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> assertThat(
                AwsCli.run(cluster.endpoint("ap-southeast-1"), "ap-southeast-1", "dynamodb", "get-item",
                        "--table-name", "cli", "--key", "{\"pk\":{\"S\":\"user-1\"},\"sk\":{\"N\":\"1\"}}"))
                .contains("\"abc\""));
        String listed = AwsCli.run(cluster.endpoint("eu-west-1"), "eu-west-1", "dynamodb", "list-tables");
        assertThat(listed).contains("\"cli\"");
        String queried = AwsCli.run(cluster.endpoint("eu-west-1"), "eu-west-1", "dynamodb", "query",
                "--table-name", "cli", "--key-condition-expression", "pk = :p",
                "--expression-attribute-values", "{\":p\":{\"S\":\"user-1\"}}");
        assertThat(queried).contains("\"Count\": 1");
    }

    @Test
    void anAntiEntropyRoundFindsConvergedRegionsInAgreement() throws Exception {
        createTable("eu-west-1", "digests");
        for (int i = 0; i < 50; i++) {
            int n = i;
            in(REGIONS.get(i % REGIONS.size())).putItem(b -> b.tableName("digests").item(item("k" + n, "v" + n)));
        }
        var http = HttpClient.newHttpClient();
        var json = new ObjectMapper();
        // Replication may still be on its way at first; once it has landed, no region differs from any peer.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String region : REGIONS) {
                var response = http.send(HttpRequest.newBuilder(cluster.endpoint(region).resolve("/_meridian/repair"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                var peers = json.readTree(response.body()).path("peers");
                assertThat(peers).hasSize(REGIONS.size() - 1);
                peers.forEach(peer -> {
                    assertThat(peer.path("error").isNull()).as(peer.toString()).isTrue();
                    assertThat(peer.path("leavesDiffering").asInt()).as(region + " vs " + peer).isZero();
                });
            }
        });
    }
}
